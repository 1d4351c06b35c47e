import { aborCommand } from './abor.command';
import { acctCommand } from './acct.command';
import { alloCommand } from './allo.command';
import { appeCommand } from './appe.command';
import { authCommand } from './auth.command';
import { avblCommand } from './avbl.command';
import { cccCommand } from './ccc.command';
import { cdupCommand } from './cdup.command';
import { clntCommand } from './clnt.command';
import type { FtpCommand } from './command';
import { cwdCommand } from './cwd.command';
import { deleCommand } from './dele.command';
import { eprtCommand } from './eprt.command';
import { epsvCommand } from './epsv.command';
import { featCommand } from './feat.command';
import { hashCommand } from './hash.command';
import { helpCommand } from './help.command';
import { hostCommand } from './host.command';
import { langCommand } from './lang.command';
import { listCommand } from './list.command';
import { mdtmCommand } from './mdtm.command';
import { mfmtCommand } from './mfmt.command';
import { mkdCommand } from './mkd.command';
import { mlsdCommand } from './mlsd.command';
import { mlstCommand } from './mlst.command';
import { modeCommand } from './mode.command';
import { nlstCommand } from './nlst.command';
import { noopCommand } from './noop.command';
import { optsCommand } from './opts.command';
import { passCommand } from './pass.command';
import { pasvCommand } from './pasv.command';
import { pbszCommand } from './pbsz.command';
import { portCommand } from './port.command';
import { pretCommand } from './pret.command';
import { protCommand } from './prot.command';
import { pwdCommand } from './pwd.command';
import { quitCommand } from './quit.command';
import { reinCommand } from './rein.command';
import { restCommand } from './rest.command';
import { retrCommand } from './retr.command';
import { rmdCommand } from './rmd.command';
import { rnfrCommand } from './rnfr.command';
import { rntoCommand } from './rnto.command';
import { siteCommand } from './site.command';
import { sizeCommand } from './size.command';
import { statCommand } from './stat.command';
import { storCommand } from './stor.command';
import { stouCommand } from './stou.command';
import { struCommand } from './stru.command';
import { systCommand } from './syst.command';
import { typeCommand } from './type.command';
import { userCommand } from './user.command';
import { xcrcCommand } from './xcrc.command';
import { xmd5Command } from './xmd5.command';
import { xsha1Command } from './xsha1.command';
import { xsha256Command } from './xsha256.command';

/** The command table (STYLE.md "Table-driven protocol"): order = FEAT and HELP order. */
export const COMMANDS: readonly FtpCommand[] = [
  userCommand,
  passCommand,
  acctCommand,
  authCommand,
  pbszCommand,
  protCommand,
  cccCommand,
  featCommand,
  optsCommand,
  systCommand,
  noopCommand,
  helpCommand,
  statCommand,
  quitCommand,
  reinCommand,
  clntCommand,
  hostCommand,
  langCommand,
  pwdCommand,
  cwdCommand,
  cdupCommand,
  mkdCommand,
  rmdCommand,
  deleCommand,
  rnfrCommand,
  rntoCommand,
  sizeCommand,
  mdtmCommand,
  mfmtCommand,
  mlstCommand,
  mlsdCommand,
  listCommand,
  nlstCommand,
  typeCommand,
  modeCommand,
  struCommand,
  alloCommand,
  restCommand,
  retrCommand,
  storCommand,
  appeCommand,
  stouCommand,
  aborCommand,
  pasvCommand,
  epsvCommand,
  portCommand,
  eprtCommand,
  siteCommand,
  hashCommand,
  avblCommand,
  xcrcCommand,
  xmd5Command,
  xsha1Command,
  xsha256Command,
  pretCommand,
];

/** Verb (and alias) -> command. */
export function buildCommandMap(commands: readonly FtpCommand[]): ReadonlyMap<string, FtpCommand> {
  const map = new Map<string, FtpCommand>();
  for (const command of commands) {
    map.set(command.name, command);
    for (const alias of command.aliases ?? []) map.set(alias, command);
  }
  return map;
}
