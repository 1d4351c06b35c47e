import { UsageDeltaBuffer, type UsageDeltaSink, type UserUsageDelta } from './usage-deltas';

class FakeSink implements UsageDeltaSink {
  writes: { periodStart: Date; deltas: UserUsageDelta[] }[] = [];
  down = false;

  applyUsageDeltas(periodStart: Date, deltas: UserUsageDelta[]): Promise<void> {
    if (this.down) return Promise.reject(new Error('connection refused'));
    this.writes.push({ periodStart, deltas });
    return Promise.resolve();
  }
}

const may = new Date('2026-05-01T00:00:00Z');
const june = new Date('2026-06-01T00:00:00Z');

describe('UsageDeltaBuffer', () => {
  it('sums the deltas of a user and writes every user of a period in one statement', async () => {
    const sink = new FakeSink();
    const buffer = new UsageDeltaBuffer(sink, 60_000);
    buffer.add('u1', may, { usedBytes: 10, usedFiles: 1, uploadBytes: 10 });
    buffer.add('u1', may, { usedBytes: -4, usedFiles: 0 });
    buffer.add('u2', may, { downloadBytes: 99 });
    buffer.add('u1', june, { downloadBytes: 5 });
    await buffer.close();
    expect(sink.writes).toEqual([
      {
        periodStart: may,
        deltas: [
          { userId: 'u1', usedBytes: 6, usedFiles: 1, uploadBytes: 10, downloadBytes: 0 },
          { userId: 'u2', usedBytes: 0, usedFiles: 0, uploadBytes: 0, downloadBytes: 99 },
        ],
      },
      {
        periodStart: june,
        deltas: [{ userId: 'u1', usedBytes: 0, usedFiles: 0, uploadBytes: 0, downloadBytes: 5 }],
      },
    ]);
    expect(buffer.size).toBe(0);
  });

  it('keeps what a failed write held, and writes it with the next', async () => {
    const sink = new FakeSink();
    const buffer = new UsageDeltaBuffer(sink, 60_000);
    buffer.add('u1', may, { usedBytes: 10, usedFiles: 1 });
    sink.down = true;
    await expect(buffer.flush()).rejects.toThrow('connection refused');
    expect(buffer.size).toBe(1);
    buffer.add('u1', may, { usedBytes: 5, usedFiles: 1 });
    sink.down = false;
    await buffer.close();
    expect(sink.writes).toHaveLength(1);
    expect(sink.writes[0]!.deltas).toEqual([
      { userId: 'u1', usedBytes: 15, usedFiles: 2, uploadBytes: 0, downloadBytes: 0 },
    ]);
  });

  it('writes by itself one interval after the first delta', async () => {
    const sink = new FakeSink();
    const buffer = new UsageDeltaBuffer(sink, 30);
    buffer.add('u1', may, { usedBytes: 1 });
    expect(sink.writes).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(sink.writes).toHaveLength(1);
    await buffer.close();
  });
});
