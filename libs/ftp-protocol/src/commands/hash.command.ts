import { FtpError, FtpErrorCode } from '../errors';
import { Reply } from '../replies';
import type { FtpCommand } from './command';
import { HASH_ALGORITHMS } from './opts.command';

/** draft-bryan-ftpext-hash: `213 <algo> <start>-<end> <hash> <path>`; algorithm chosen with OPTS HASH. */
export const hashCommand: FtpCommand = {
  name: 'HASH',
  needsAuth: true,
  argument: 'required',
  permission: 'download',
  kind: 'normal',
  feat: (session) =>
    `HASH ${HASH_ALGORITHMS.map((a) => (a === session.hashAlgorithm ? `${a}*` : a)).join(';')}`,
  help: 'HASH <path>',
  async handler(session, arg) {
    const path = session.resolve(arg);
    await session.authorize('download', path);
    const stat = await session.fs.stat(path);
    if (stat.type !== 'file') throw new FtpError(FtpErrorCode.NOT_FOUND, 'Not a regular file.');
    const digest = await session.fs.hash(path, session.hashAlgorithm);
    session.reply(Reply.FILE_STATUS, `${session.hashAlgorithm} 0-${stat.size} ${digest} ${arg}`);
  },
};
