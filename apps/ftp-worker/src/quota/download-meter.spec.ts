import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { type FileReader, FtpError, Reply } from '@wharf/ftp-protocol';

import { type DownloadCharger, DownloadMeter, meteredReader } from './download-meter';

const MiB = 1024 * 1024;
const CHUNK = 256 * 1024;

/** A download quota of `limit` bytes per period, held the way PostgreSQL holds it: all or nothing. */
class FakeCharger implements DownloadCharger {
  readonly charges: number[] = [];
  readonly byPeriod = new Map<number, number>();
  period = new Date('2026-11-01T00:00:00Z');

  constructor(private readonly limit: number) {}

  async chargeDownload(bytes: number): Promise<Date | null> {
    await new Promise((resolve) => setImmediate(resolve)); // a round trip
    this.charges.push(bytes);
    const key = this.period.getTime();
    const used = this.byPeriod.get(key) ?? 0;
    if (used + bytes > this.limit) return null;
    this.byPeriod.set(key, used + bytes);
    return this.period;
  }

  async refundDownload(bytes: number, chargedPeriod: Date): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const key = chargedPeriod.getTime();
    this.byPeriod.set(key, (this.byPeriod.get(key) ?? 0) - bytes);
  }

  used(period = this.period): number {
    return this.byPeriod.get(period.getTime()) ?? 0;
  }
}

function file(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left === 0) return this.push(null);
      const n = Math.min(CHUNK, left);
      left -= n;
      this.push(Buffer.alloc(n));
    },
  });
}

/** Pipes the metered file into a sink; returns the bytes that reached it and the error, if any. */
async function download(meter: Readable, onChunk?: (sent: number) => void) {
  let sent = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, callback) {
      sent += chunk.length;
      onChunk?.(sent);
      callback();
    },
  });
  const error = await pipeline(meter, sink).then(
    () => null,
    (e: unknown) => e,
  );
  await new Promise((resolve) => setImmediate(resolve));
  return { sent, error };
}

describe('DownloadMeter (a user with a download quota)', () => {
  it('charges a long download in growing steps and keeps exactly what was sent', async () => {
    const charger = new FakeCharger(1024 * MiB);
    const { sent, error } = await download(DownloadMeter.wrap(file(100 * MiB), charger));
    expect(error).toBeNull();
    expect(sent).toBe(100 * MiB);
    // 1, 2, 4, 8, 16, 32, 64 MiB, and the next one asked ahead once half of the 64 was
    // sent: eight UPDATEs for 100 MiB instead of a hundred.
    expect(charger.charges).toEqual([1, 2, 4, 8, 16, 32, 64, 64].map((n) => n * MiB));
    // The part of the last step that was not sent went back.
    expect(charger.used()).toBe(100 * MiB);
  });

  it('stops with 451 at the quota, having sent no byte beyond it', async () => {
    const charger = new FakeCharger(5 * MiB + 3 * CHUNK);
    let maxUsedWhileSending = 0;
    let overrun = false;
    const { sent, error } = await download(DownloadMeter.wrap(file(50 * MiB), charger), (s) => {
      maxUsedWhileSending = Math.max(maxUsedWhileSending, charger.used());
      if (s > charger.used()) overrun = true;
    });
    expect(error).toBeInstanceOf(FtpError);
    expect((error as FtpError).reply).toBe(Reply.LOCAL_ERROR);
    expect(overrun).toBe(false);
    expect(maxUsedWhileSending).toBeLessThanOrEqual(5 * MiB + 3 * CHUNK);
    // The whole quota was usable, and only what was sent stays charged.
    expect(sent).toBe(5 * MiB + 3 * CHUNK);
    expect(charger.used()).toBe(sent);
  });

  it('gives back a step still in flight when the client goes away', async () => {
    const charger = new FakeCharger(1024 * MiB);
    const meter = DownloadMeter.wrap(file(100 * MiB), charger);
    const { error } = await download(meter, (s) => {
      if (s === 3 * MiB) meter.destroy(new Error('client gone'));
    });
    expect(error).toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(charger.used()).toBeLessThanOrEqual(3 * MiB + CHUNK);
    expect(charger.used()).toBeGreaterThanOrEqual(3 * MiB);
  });

  it('keeps what was charged in the old period when a new one begins mid-download', async () => {
    const charger = new FakeCharger(1024 * MiB);
    const old = charger.period;
    const { sent, error } = await download(DownloadMeter.wrap(file(10 * MiB), charger), (s) => {
      if (s === 2 * MiB) charger.period = new Date('2026-12-01T00:00:00Z');
    });
    expect(error).toBeNull();
    expect(sent).toBe(10 * MiB);
    // Never less than what was sent in each period, and the new period holds only what was sent in it.
    expect(charger.used(old)).toBeGreaterThanOrEqual(2 * MiB);
    expect(charger.used(old) + charger.used()).toBeGreaterThanOrEqual(10 * MiB);
    expect(charger.used()).toBeLessThanOrEqual(10 * MiB - 2 * MiB + CHUNK);
  });
});

describe('meteredReader (the pumped download path)', () => {
  /** A file of `bytes` zero bytes read CHUNK at a time, as the engine's pump does. */
  function reader(bytes: number): FileReader & { closed: number } {
    const r = {
      closed: 0,
      size: bytes,
      read: (buffer: Buffer, position: number) =>
        Promise.resolve(Math.max(0, Math.min(buffer.length, bytes - position))),
      close: () => {
        r.closed += 1;
        return Promise.resolve();
      },
    };
    return r;
  }

  /** Reads until the end or a refusal; the bytes returned are the bytes that would be sent. */
  async function pump(source: FileReader) {
    const buffer = Buffer.alloc(CHUNK);
    let sent = 0;
    let error: unknown = null;
    try {
      for (let n; (n = await source.read(buffer, sent)) > 0;) sent += n;
    } catch (e) {
      error = e;
    }
    await source.close();
    return { sent, error };
  }

  it('charges in growing steps, keeps exactly what was read, and closes the file once', async () => {
    const charger = new FakeCharger(1024 * MiB);
    const inner = reader(100 * MiB);
    const metered = meteredReader(inner, charger);
    expect(metered.size).toBe(100 * MiB);
    const { sent, error } = await pump(metered);
    await metered.close();
    expect(error).toBeNull();
    expect(sent).toBe(100 * MiB);
    expect(charger.charges).toEqual([1, 2, 4, 8, 16, 32, 64, 64].map((n) => n * MiB));
    expect(charger.used()).toBe(100 * MiB);
    expect(inner.closed).toBe(1);
  });

  it('refuses with 451 at the quota, having passed on no byte beyond it', async () => {
    const charger = new FakeCharger(5 * MiB + 3 * CHUNK);
    const { sent, error } = await pump(meteredReader(reader(50 * MiB), charger));
    expect(error).toBeInstanceOf(FtpError);
    expect((error as FtpError).reply).toBe(Reply.LOCAL_ERROR);
    expect(sent).toBe(5 * MiB + 3 * CHUNK);
    expect(charger.used()).toBe(sent);
  });

  it('charges a user without a download quota once, at close', async () => {
    const charger = new FakeCharger(Number.MAX_SAFE_INTEGER);
    const { sent } = await pump(meteredReader(reader(10 * MiB + 5), charger, false));
    expect(sent).toBe(10 * MiB + 5);
    expect(charger.charges).toEqual([10 * MiB + 5]);
  });
});
