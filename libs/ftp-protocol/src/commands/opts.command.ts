import { enabledFactsString, parseMlstOpts } from '../listing/list-format';
import type { HashAlgorithm } from '../ports/file-system.port';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['SHA-256', 'SHA-1', 'MD5', 'CRC32'];

/** RFC 2389 §4: OPTS UTF8 (allowed before login, RFC 2640), OPTS MLST (RFC 3659 §7.9), OPTS HASH. */
export const optsCommand: FtpCommand = {
  name: 'OPTS',
  needsAuth: false,
  argument: 'required',
  kind: 'normal',
  help: 'OPTS UTF8 ON | MLST <facts> | HASH <algorithm>',
  handler(session, arg) {
    const space = arg.indexOf(' ');
    const name = (space < 0 ? arg : arg.slice(0, space)).toUpperCase();
    const value = space < 0 ? '' : arg.slice(space + 1).trim();
    switch (name) {
      case 'UTF8':
      case 'UTF-8':
        if (value === '' || value.toUpperCase() === 'ON') {
          session.utf8 = true;
          session.reply(Reply.OK, 'Always in UTF8 mode.');
        } else {
          session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'UTF8 cannot be turned off.');
        }
        return;
      case 'MLST':
        session.mlstFacts = parseMlstOpts(value);
        session.reply(Reply.OK, `MLST OPTS ${enabledFactsString(session.mlstFacts)}`);
        return;
      case 'HASH': {
        if (value === '') {
          session.reply(Reply.OK, session.hashAlgorithm);
          return;
        }
        const algorithm = HASH_ALGORITHMS.find((a) => a === value.toUpperCase());
        if (!algorithm) {
          session.reply(Reply.NOT_IMPLEMENTED_FOR_PARAMETER, 'Unknown hash algorithm.');
          return;
        }
        session.hashAlgorithm = algorithm;
        session.reply(Reply.OK, algorithm);
        return;
      }
      default:
        session.reply(Reply.SYNTAX_ERROR_ARGS, 'Option not understood.');
    }
  },
};
