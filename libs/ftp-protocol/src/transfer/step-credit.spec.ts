import { StepCredit } from './step-credit';

const MiB = 1024 * 1024;

/** A quota of `limit` bytes that grants all or nothing, answering when released (or at once). */
function quota(limit: number, { manual = false } = {}) {
  const asks: number[] = [];
  const waiting: Array<() => void> = [];
  let charged = 0;
  const ask = (bytes: number): Promise<boolean> => {
    asks.push(bytes);
    const answer = (): boolean => {
      if (charged + bytes > limit) return false;
      charged += bytes;
      return true;
    };
    if (!manual) return Promise.resolve(answer());
    return new Promise((resolve) => waiting.push(() => resolve(answer())));
  };
  return {
    ask,
    asks,
    charged: () => charged,
    /** Answers the oldest ask waiting. */
    release: async () => {
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
    waiting: () => waiting.length,
  };
}

/** Sends `total` bytes in `chunk`-byte pieces the way the meters do; returns how many waited. */
async function send(credit: StepCredit, total: number, chunk: number): Promise<number> {
  let waits = 0;
  for (let sent = 0; sent < total; sent += chunk) {
    if (credit.take(chunk)) continue;
    waits += 1;
    if (!(await credit.takeAsync(chunk))) throw new Error(`refused at ${sent}`);
  }
  return waits;
}

describe('StepCredit', () => {
  it('grows its steps 1, 2, 4 ... up to the largest step', async () => {
    const q = quota(Infinity);
    const credit = new StepCredit({ ask: q.ask, firstStep: 1 * MiB, maxStep: 8 * MiB });
    await send(credit, 40 * MiB, 256 * 1024);
    await credit.settle();
    expect(q.asks.slice(0, 6)).toEqual([1, 2, 4, 8, 8, 8].map((n) => n * MiB));
    expect(credit.used).toBe(40 * MiB);
    expect(credit.granted).toBe(q.charged());
  });

  it('asks for the next step while the current one is used, so the stream need not wait', async () => {
    const q = quota(Infinity, { manual: true });
    const credit = new StepCredit({ ask: q.ask, firstStep: 1 * MiB, maxStep: 64 * MiB });
    const first = credit.takeAsync(256 * 1024);
    await q.release();
    expect(await first).toBe(true);
    // Half of the first step used: the second is asked for before the first runs out.
    expect(credit.take(256 * 1024)).toBe(true);
    expect(credit.take(256 * 1024)).toBe(true);
    expect(q.waiting()).toBe(1);
    expect(q.asks).toEqual([1 * MiB, 2 * MiB]);
    await q.release();
    // The grant arrived while the rest of the first step was used: no wait at the boundary.
    expect(credit.take(256 * 1024)).toBe(true);
    expect(credit.take(256 * 1024)).toBe(true);
    expect(credit.granted).toBe(3 * MiB);
  });

  it('asks nothing ahead while less than half of the step is used (a small file costs one ask)', async () => {
    const q = quota(Infinity);
    const credit = new StepCredit({ ask: q.ask, firstStep: 1 * MiB, maxStep: 64 * MiB });
    await send(credit, 4096, 4096);
    await credit.settle();
    expect(q.asks).toEqual([1 * MiB]);
    expect(credit.unused).toBe(1 * MiB - 4096);
  });

  it('never uses more than the quota grants, and uses the last bytes below one step', async () => {
    for (const limit of [3 * MiB + 5 * 65536, 100 * MiB, 64 * MiB + 65536, 65536]) {
      const q = quota(limit);
      const credit = new StepCredit({ ask: q.ask, firstStep: 1 * MiB, maxStep: 64 * MiB });
      let sent = 0;
      for (;;) {
        const ok = credit.take(65536) || (await credit.takeAsync(65536));
        if (!ok) break;
        sent += 65536;
        expect(credit.used).toBeLessThanOrEqual(credit.granted);
        expect(q.charged()).toBeLessThanOrEqual(limit);
      }
      await credit.settle();
      // All of the quota was usable, in whole chunks, and no byte beyond it.
      expect(sent).toBe(Math.floor(limit / 65536) * 65536);
      expect(credit.granted).toBe(q.charged());
    }
  });

  it('after a refused step, falls back by halves (not per chunk) to what the quota has left', async () => {
    const q = quota(40 * MiB);
    const credit = new StepCredit({ ask: q.ask, firstStep: 1 * MiB, maxStep: 64 * MiB });
    await send(credit, 40 * MiB, 65536);
    await credit.settle();
    // 1+2+4+8+16 granted, 32 refused, then 8 (of the 9 MiB left) by halving, then 1 MiB.
    expect(q.asks.length).toBeLessThan(20);
    expect(q.charged()).toBe(40 * MiB);
  });

  it('settle() waits for a step in flight, so what is unused includes it', async () => {
    const q = quota(Infinity, { manual: true });
    const credit = new StepCredit({ ask: q.ask, firstStep: 1 * MiB, maxStep: 64 * MiB });
    const first = credit.takeAsync(768 * 1024);
    await q.release();
    await first;
    expect(q.waiting()).toBe(1); // the second step, asked ahead
    let settled = false;
    const settling = credit.settle().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    await q.release();
    await settling;
    expect(credit.granted).toBe(3 * MiB);
    expect(credit.unused).toBe(3 * MiB - 768 * 1024);
    // Nothing more is asked once settled.
    expect(credit.take(256 * 1024)).toBe(true);
    expect(q.asks).toHaveLength(2);
  });

  it('reports a failed ask on the wait that needs it, not from the step asked ahead', async () => {
    let calls = 0;
    const credit = new StepCredit({
      ask: (bytes) => {
        calls += 1;
        return calls === 1 ? Promise.resolve(bytes > 0) : Promise.reject(new Error('db down'));
      },
      firstStep: 1 * MiB,
      maxStep: 64 * MiB,
    });
    expect(await credit.takeAsync(768 * 1024)).toBe(true);
    expect(credit.take(256 * 1024)).toBe(true);
    await expect(credit.takeAsync(256 * 1024)).rejects.toThrow('db down');
  });
});
