import { type TransferEventRecord, uuidv7 } from '@wharf/contracts';

/** Test data builder: a valid event with overrides. */
export function transferEvent(overrides: Partial<TransferEventRecord> = {}): TransferEventRecord {
  const at = overrides.occurredAt ? new Date(overrides.occurredAt) : new Date();
  return {
    id: uuidv7(at.getTime()),
    occurredAt: at.toISOString(),
    workerId: 'worker-spec',
    serverId: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f',
    sessionId: 'session-1',
    userId: null,
    username: 'alice',
    clientIp: '127.0.0.1',
    clientPort: 50000,
    tlsVersion: null,
    operation: 'upload',
    command: 'STOR',
    path: '/file.bin',
    targetPath: null,
    bytes: 1024,
    durationMs: 5,
    outcome: 'ok',
    reason: null,
    sha256: null,
    ...overrides,
  };
}
