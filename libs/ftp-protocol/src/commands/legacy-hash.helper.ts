import { FtpError, FtpErrorCode } from '../errors';
import type { HashAlgorithm } from '../ports/file-system.port';
import { Reply } from '../replies';
import type { FtpSession } from '../session/ftp-session';

/** XCRC/XMD5/XSHA1/XSHA256 `<path> [start [end]]` -> `250 <hex>` (WinSCP checksums). */
export async function legacyHash(
  session: FtpSession,
  algorithm: HashAlgorithm,
  arg: string,
): Promise<void> {
  let name = arg.trim();
  let start: number | undefined;
  let end: number | undefined;
  const range = /^(.*?) (\d+)(?: (\d+))?$/.exec(name);
  if (range) {
    name = range[1];
    start = Number(range[2]);
    end = range[3] === undefined ? undefined : Number(range[3]);
  }
  if (name.startsWith('"') && name.endsWith('"') && name.length > 1) name = name.slice(1, -1);
  const path = session.resolve(name);
  await session.authorize('download', path);
  const stat = await session.fs.stat(path);
  if (stat.type !== 'file') throw new FtpError(FtpErrorCode.NOT_FOUND, 'Not a regular file.');
  const digest = await session.fs.hash(path, algorithm, start, end);
  session.reply(Reply.FILE_ACTION_OK, digest);
}
