/**
 * FTP reply codes used by the engine, each with the RFC section that defines it.
 * Handlers never write a bare number.
 */
export const Reply = {
  /** RFC 959 §4.2: restart marker reply (REST STREAM answer is 350, not this). */
  RESTART_MARKER: 110,
  /** RFC 959 §4.2: service ready in nnn minutes. */
  SERVICE_READY_SOON: 120,
  /** RFC 959 §4.2: data connection already open; transfer starting. */
  DATA_ALREADY_OPEN: 125,
  /** RFC 959 §4.2: file status okay; about to open data connection. */
  OPENING_DATA: 150,
  /** RFC 959 §4.2: command okay. */
  OK: 200,
  /** RFC 959 §4.2: command not implemented, superfluous at this site. */
  SUPERFLUOUS: 202,
  /** RFC 959 §4.2: system status, or system help reply (also FEAT, RFC 2389 §3.2). */
  SYSTEM_STATUS: 211,
  /** RFC 959 §4.2: directory status (STAT on a directory). */
  DIRECTORY_STATUS: 212,
  /** RFC 959 §4.2: file status (STAT on a file, SIZE, MDTM, RFC 3659). */
  FILE_STATUS: 213,
  /** RFC 959 §4.2: help message. */
  HELP: 214,
  /** RFC 959 §4.2: NAME system type. */
  SYSTEM_TYPE: 215,
  /** RFC 959 §4.2: service ready for new user. */
  SERVICE_READY: 220,
  /** RFC 959 §4.2: service closing control connection. */
  CLOSING: 221,
  /** RFC 959 §4.2: data connection open; no transfer in progress. */
  DATA_OPEN_NO_TRANSFER: 225,
  /** RFC 959 §4.2: closing data connection; requested action successful. */
  TRANSFER_COMPLETE: 226,
  /** RFC 959 §4.2: entering passive mode (h1,h2,h3,h4,p1,p2). */
  PASSIVE_MODE: 227,
  /** RFC 2428 §3: entering extended passive mode (|||port|). */
  EXTENDED_PASSIVE_MODE: 229,
  /** RFC 959 §4.2: user logged in, proceed. */
  LOGGED_IN: 230,
  /** RFC 2228 §4: security data exchange complete (AUTH TLS accepted, RFC 4217 §4). */
  AUTH_OK: 234,
  /** RFC 959 §4.2: requested file action okay, completed. */
  FILE_ACTION_OK: 250,
  /** RFC 959 §4.2: "PATHNAME" created (also PWD). */
  PATH_CREATED: 257,
  /** RFC 959 §4.2: user name okay, need password. */
  NEED_PASSWORD: 331,
  /** RFC 959 §4.2: need account for login. */
  NEED_ACCOUNT: 332,
  /** RFC 959 §4.2: requested file action pending further information (RNFR, REST). */
  PENDING_FURTHER_INFO: 350,
  /** RFC 959 §4.2: service not available, closing control connection. */
  SERVICE_UNAVAILABLE: 421,
  /** RFC 959 §4.2: can't open data connection. */
  CANT_OPEN_DATA: 425,
  /** RFC 959 §4.2: connection closed; transfer aborted. */
  TRANSFER_ABORTED: 426,
  /** RFC 959 §4.2: requested file action not taken (file busy). */
  FILE_UNAVAILABLE: 450,
  /** RFC 959 §4.2: requested action aborted: local error in processing. */
  LOCAL_ERROR: 451,
  /** RFC 959 §4.2: requested action not taken: insufficient storage space. */
  INSUFFICIENT_STORAGE: 452,
  /** RFC 959 §4.2: syntax error, command unrecognized (also line too long). */
  SYNTAX_ERROR: 500,
  /** RFC 959 §4.2: syntax error in parameters or arguments. */
  SYNTAX_ERROR_ARGS: 501,
  /** RFC 959 §4.2: command not implemented. */
  NOT_IMPLEMENTED: 502,
  /** RFC 959 §4.2: bad sequence of commands. */
  BAD_SEQUENCE: 503,
  /** RFC 959 §4.2: command not implemented for that parameter. */
  NOT_IMPLEMENTED_FOR_PARAMETER: 504,
  /** RFC 4217 §9: data connection cannot be opened with this PROT setting. */
  PROT_REQUIRED: 521,
  /**
   * RFC 2428 §2/§3: network protocol not supported. Also used, as vsftpd does,
   * when a TLS data connection did not resume the control session (RFC 4217 §10).
   */
  PROTOCOL_NOT_SUPPORTED: 522,
  /** RFC 959 §4.2: not logged in. */
  NOT_LOGGED_IN: 530,
  /** RFC 959 §4.2: need account for storing files. */
  NEED_ACCOUNT_FOR_STORING: 532,
  /** RFC 2228 §4: command protection level denied for policy reasons (CCC). */
  PROTECTION_DENIED: 533,
  /** RFC 2228 §4: request denied for policy reasons (USER before AUTH when TLS is required). */
  POLICY_DENIED: 534,
  /** RFC 2228 §4: requested PROT level not supported by mechanism. */
  PROT_NOT_SUPPORTED: 536,
  /** RFC 959 §4.2: requested action not taken: file unavailable. */
  FILE_NOT_FOUND: 550,
  /** RFC 959 §4.2: requested action aborted: page type unknown. */
  PAGE_TYPE_UNKNOWN: 551,
  /** RFC 959 §4.2: requested file action aborted: exceeded storage allocation. */
  QUOTA_EXCEEDED: 552,
  /** RFC 959 §4.2: requested action not taken: file name not allowed. */
  NAME_NOT_ALLOWED: 553,
  /** RFC 3659 §5.4: requested action not taken: invalid REST parameter. */
  INVALID_REST_PARAMETER: 554,
} as const;

export type ReplyCode = (typeof Reply)[keyof typeof Reply];

/** Formats one reply, single- or multi-line (RFC 959 §4.2: "123-first" ... "123 last"). */
export function formatReply(code: number, text: string | readonly string[]): string {
  if (typeof text === 'string') {
    if (!text.includes('\n')) return `${code} ${text}\r\n`;
    text = text.split('\n');
  }
  if (text.length <= 1) return `${code} ${text[0] ?? ''}\r\n`;
  let out = `${code}-${text[0]}\r\n`;
  for (let i = 1; i < text.length - 1; i++) {
    const line = text[i];
    // A middle line that starts with digits could be mistaken for the end line: indent it.
    out += /^\d{3}/.test(line) ? ` ${line}\r\n` : `${line}\r\n`;
  }
  return `${out}${code} ${text[text.length - 1]}\r\n`;
}
