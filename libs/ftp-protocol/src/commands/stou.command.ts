import { randomBytes } from 'node:crypto';

import { FtpError, FtpErrorCode } from '../errors';
import { baseName } from '../paths';
import { FileSystemError } from '../ports/file-system.port';
import { runUpload } from '../session/transfers';
import type { FtpCommand } from './command';

/** RFC 959 §4.1.3 / RFC 1123 §4.1.2.9: stores under a new unique name, announced as `150 FILE: name`. */
export const stouCommand: FtpCommand = {
  name: 'STOU',
  needsAuth: true,
  argument: 'optional',
  permission: 'upload',
  kind: 'transfer',
  help: 'STOU [name hint]',
  async handler(session, arg) {
    const hint = arg === '' ? 'file' : baseName(session.resolve(arg)) || 'file';
    for (let attempt = 0; attempt < 5; attempt++) {
      const path = session.resolve(`${hint}.${randomBytes(4).toString('hex')}`);
      try {
        await session.fs.stat(path);
        continue;
      } catch (error) {
        if (!(error instanceof FileSystemError && error.code === 'NOT_FOUND')) throw error;
      }
      await runUpload(session, 'STOU', path, 'unique');
      return;
    }
    throw new FtpError(FtpErrorCode.LOCAL_ERROR, 'Could not find a unique name.');
  },
};
