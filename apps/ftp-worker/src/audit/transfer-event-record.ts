import { type TransferEventRecord, type TransferOperation, uuidv7 } from '@wharf/contracts';

/**
 * The engine's event (libs/ftp-protocol `FtpEvent`), restated structurally so
 * this mapping does not depend on the engine's module layout.
 */
export interface EngineEvent {
  type: TransferOperation;
  time: Date;
  sessionId: string;
  userId: string | null;
  username: string | null;
  client: { address: string; port: number };
  tlsVersion: string | null;
  command: string;
  path: string | null;
  targetPath: string | null;
  bytes: number;
  durationMs: number;
  outcome: TransferEventRecord['outcome'];
  reason: string | null;
  sha256: string | null;
}

/** Strips the IPv4-mapped IPv6 prefix Node reports on dual-stack sockets. */
function plainIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** An engine event as the wire record the spool stores; the id is minted here, once. */
export function toTransferEventRecord(
  event: EngineEvent,
  origin: { workerId: string; serverId: string },
): TransferEventRecord {
  return {
    id: uuidv7(event.time.getTime()),
    occurredAt: event.time.toISOString(),
    workerId: origin.workerId,
    serverId: origin.serverId,
    sessionId: event.sessionId,
    userId: event.userId,
    username: event.username,
    clientIp: plainIp(event.client.address),
    clientPort: event.client.port,
    tlsVersion: event.tlsVersion,
    operation: event.type,
    command: event.command,
    path: event.path,
    targetPath: event.targetPath,
    bytes: event.bytes,
    durationMs: Math.round(event.durationMs),
    outcome: event.outcome,
    reason: event.reason,
    sha256: event.sha256,
  };
}
