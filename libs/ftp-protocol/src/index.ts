export { LineCodec, MAX_LINE_BYTES } from './codec/line-codec';
export { buildCommandMap, COMMANDS } from './commands';
export type { CommandArgument, CommandKind, FtpCommand } from './commands/command';
export { errorToReply, FtpError, FtpErrorCode } from './errors';
export { FtpServer } from './ftp-server';
export {
  formatListLine,
  formatMlstFacts,
  formatTimeVal,
  MLST_FACTS,
  parseTimeVal,
} from './listing/list-format';
export { MemoryFileSystem, type MemoryFileSystemOptions } from './memory/memory-file-system';
export { baseName, parentPath, quotePath, resolveVirtualPath } from './paths';
export type {
  Authenticator,
  AuthorizationResult,
  FtpOperation,
  LoginRefusal,
  LoginRefusalReason,
  LoginRequest,
  LoginResult,
  Principal,
  SessionPolicy,
} from './ports/authenticator.port';
export type { EventSink, FtpEvent, FtpEventOutcome, FtpEventType } from './ports/event-sink.port';
export * from './ports/file-system.port';
export type {
  FtpLogger,
  FtpServerOptions,
  PassivePortRange,
  TlsMaterial,
  TlsMode,
  TlsOptions,
} from './ports/server-options';
export { formatReply, Reply, type ReplyCode } from './replies';
export type { SessionSnapshot } from './session/ftp-session';
export { EvalThread } from './threads/eval-thread';
export { downloadChunkBytes } from './transfer/download-chunk';
export { StepCredit, type StepCreditOptions } from './transfer/step-credit';
export { ARRAY_BUFFER_SWEEP_FLAG, tuneV8ForTransfers } from './transfer/v8-tuning';
