import { formatListLine } from '../listing/list-format';
import { Reply } from '../replies';
import type { FtpCommand } from './command';

/**
 * RFC 959 §4.1.3. Without argument: server/transfer status (211). With a
 * path: 213 for a file, 212 for a directory (listing over the control connection).
 */
export const statCommand: FtpCommand = {
  name: 'STAT',
  needsAuth: false,
  argument: 'optional',
  kind: 'immediate',
  help: 'STAT [path]',
  async handler(session, arg) {
    const transfer = session.transfer;
    if (arg === '' || transfer) {
      const lines = [
        'FTP server status:',
        ` Connected to ${session.client.address}`,
        session.principal ? ` Logged in as ${session.principal.username}` : ' Not logged in',
        ` TYPE: ${session.asciiType ? 'ASCII' : 'BINARY'}, STRUcture: File, MODE: Stream`,
        ` Control connection ${session.secure ? `protected (${session.tlsVersion})` : 'in clear'}; data ${session.protPrivate ? 'private' : 'clear'}`,
      ];
      if (transfer) {
        lines.push(
          ` ${transfer.command} ${transfer.path ?? ''}: ${transfer.bytes} bytes transferred`,
        );
      }
      lines.push('End of status.');
      session.reply(Reply.SYSTEM_STATUS, lines);
      return;
    }
    if (!session.loggedIn) {
      session.reply(Reply.NOT_LOGGED_IN, 'Please login with USER and PASS.');
      return;
    }
    const path = session.resolve(arg);
    await session.authorize('list', path);
    const stat = await session.fs.stat(path);
    const now = Date.now();
    if (stat.type === 'file') {
      session.reply(Reply.FILE_STATUS, [
        `Status of ${stat.name}:`,
        formatListLine(stat, now).trimEnd(),
        'End of status.',
      ]);
      return;
    }
    // Streamed line by line: a large directory never becomes one string.
    const code = Reply.DIRECTORY_STATUS;
    session.socket.write(`${code}-Status of ${path}:\r\n`);
    for await (const entry of session.fs.list(path)) {
      if (session.closed) return;
      const ok = session.socket.write(` ${formatListLine(entry, now)}`);
      if (!ok) await new Promise((resolve) => session.socket.once('drain', resolve));
    }
    session.reply(code, 'End of status.');
  },
};
