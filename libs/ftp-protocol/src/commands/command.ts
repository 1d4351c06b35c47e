import type { FtpOperation } from '../ports/authenticator.port';
import type { FtpSession } from '../session/ftp-session';

/**
 * - `normal`: runs in order with the other commands of the session.
 * - `transfer`: opens a data connection; only `immediate` commands are read meanwhile.
 * - `immediate`: also answered while a transfer runs (ABOR, STAT, QUIT, NOOP).
 */
export type CommandKind = 'normal' | 'transfer' | 'immediate';

export type CommandArgument = 'none' | 'optional' | 'required';

/** One row of the command table; each lives in its own `<verb>.command.ts` file. */
export interface FtpCommand {
  name: string;
  /** Old or alternative verbs (RFC 775 X-commands). */
  aliases?: readonly string[];
  needsAuth: boolean;
  argument: CommandArgument;
  /** The main policy operation this command needs (the handler checks it on the resolved path). */
  permission?: FtpOperation;
  /** FEAT line (RFC 2389), or a function when it depends on session state; null = none. */
  feat?: string | ((session: FtpSession) => string | null);
  kind: CommandKind;
  /** One-line syntax for HELP. */
  help?: string;
  handler(session: FtpSession, arg: string): void | Promise<void>;
}
