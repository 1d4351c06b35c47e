import type { FtpEvent } from '@wharf/ftp-protocol';

import { toTransferEventRecord } from './transfer-event-record';

const ftpEvent = (overrides: Partial<FtpEvent> = {}): FtpEvent => ({
  type: 'upload',
  time: new Date('2026-11-25T12:00:00.123Z'),
  sessionId: 'sess-1',
  userId: '0193a5b0-7f1e-7c3a-9d2e-1a2b3c4d5e6f',
  username: 'alice',
  client: { address: '::ffff:192.0.2.5', port: 51000 },
  tlsVersion: 'TLSv1.3',
  command: 'STOR',
  path: '/in/a.bin',
  targetPath: null,
  bytes: 10,
  durationMs: 12.6,
  outcome: 'ok',
  reason: null,
  sha256: 'ab'.repeat(32),
  ...overrides,
});

describe('toTransferEventRecord', () => {
  it('mints a UUIDv7 from the event time and maps every field', () => {
    const record = toTransferEventRecord(ftpEvent(), { workerId: 'w1', serverId: 'srv' });
    expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    expect(record.id.replace(/-/g, '').slice(0, 12)).toBe(
      new Date('2026-11-25T12:00:00.123Z').getTime().toString(16).padStart(12, '0'),
    );
    expect(record).toMatchObject({
      occurredAt: '2026-11-25T12:00:00.123Z',
      workerId: 'w1',
      serverId: 'srv',
      clientIp: '192.0.2.5',
      clientPort: 51000,
      operation: 'upload',
      durationMs: 13,
      sha256: 'ab'.repeat(32),
    });
  });

  it('keeps real IPv6 addresses', () => {
    const record = toTransferEventRecord(ftpEvent({ client: { address: '::1', port: 1 } }), {
      workerId: 'w',
      serverId: 's',
    });
    expect(record.clientIp).toBe('::1');
  });
});
