import { Reply } from '../replies';
import type { FtpCommand } from './command';
import { SITE_HELP } from './site.command';

/** RFC 959 §4.1.3; `HELP SITE` lists the SITE subcommands (ncftp asks). */
export const helpCommand: FtpCommand = {
  name: 'HELP',
  needsAuth: false,
  argument: 'optional',
  kind: 'normal',
  help: 'HELP [command]',
  handler(session, arg) {
    const topic = arg.trim().toUpperCase();
    if (topic === 'SITE') {
      session.reply(Reply.HELP, ['SITE commands:', ...SITE_HELP.map((l) => ` ${l}`), 'End.']);
      return;
    }
    if (topic !== '') {
      const command = session.server.commands.get(topic);
      if (!command) {
        session.reply(Reply.SYNTAX_ERROR_ARGS, 'Unknown command.');
        return;
      }
      session.reply(Reply.HELP, `Syntax: ${command.help ?? command.name}`);
      return;
    }
    const names = session.server.commandList.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    const lines = ['The following commands are recognized:'];
    for (let i = 0; i < names.length; i += 8) lines.push(` ${names.slice(i, i + 8).join(' ')}`);
    lines.push('Help OK.');
    session.reply(Reply.HELP, lines);
  },
};
