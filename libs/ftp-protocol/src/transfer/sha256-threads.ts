import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The hashing side: one SHA-256 state per upload id. Plain JS, eval'd, so it
 * runs the same from Jest, tsc output and bundles. Each update is acknowledged
 * with its size, so the event loop knows how far the thread lags behind.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const states = new Map();
parentPort.on('message', ({ id, op, data }) => {
  if (op === 'update') {
    let state = states.get(id);
    if (!state) states.set(id, (state = createHash('sha256')));
    state.update(new Uint8Array(data));
    parentPort.postMessage({ id, op: 'ack', bytes: data.byteLength });
  } else if (op === 'digest') {
    const state = states.get(id) || createHash('sha256');
    states.delete(id);
    parentPort.postMessage({ id, op: 'digest', hex: state.digest('hex') });
  } else if (op === 'drop') {
    states.delete(id);
  }
});`;

interface ThreadReply {
  id: number;
  op: 'ack' | 'digest';
  bytes?: number;
  hex?: string;
}

/** An upload's SHA-256 computed in a thread: see RemoteSha256 and UploadHash. */
export interface RemoteSha256 {
  /** Bytes handed over and not yet hashed. */
  readonly pending: number;
  /** Hands `bytes` over; its ArrayBuffer is transferred (detached here) and must be its own. */
  update(bytes: Buffer): void;
  /** Resolves once `pending` is at most `bytes` (at once if it already is). */
  whenPendingAtMost(bytes: number): Promise<void>;
  /** The hex digest of everything handed over; the state is gone afterwards. */
  digest(): Promise<string>;
  /** Forgets the state without a digest (aborted upload). */
  drop(): void;
}

class ThreadStream implements RemoteSha256 {
  pending = 0;
  private finished = false;
  private failure: Error | null = null;
  private waiters: Array<{ bytes: number; resolve: () => void }> = [];
  private result: { resolve: (hex: string) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly owner: HashThread,
    readonly id: number,
  ) {}

  update(bytes: Buffer): void {
    if (this.finished) throw new Error('SHA-256 stream already finished');
    // After a thread failure the upload goes on; digest() reports the failure.
    if (this.failure) return;
    this.pending += bytes.length;
    this.owner.post({ id: this.id, op: 'update', data: bytes.buffer }, [bytes.buffer as ArrayBuffer]);
  }

  whenPendingAtMost(bytes: number): Promise<void> {
    if (this.pending <= bytes || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ bytes, resolve }));
  }

  digest(): Promise<string> {
    if (this.finished) return Promise.reject(new Error('SHA-256 stream already finished'));
    this.finished = true;
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject };
      this.owner.post({ id: this.id, op: 'digest' });
    });
  }

  drop(): void {
    if (this.finished) return;
    this.finished = true;
    this.owner.post({ id: this.id, op: 'drop' });
    this.owner.release(this);
  }

  acknowledged(bytes: number): void {
    this.pending -= bytes;
    const waiting = this.waiters;
    this.waiters = waiting.filter((waiter) => this.pending > waiter.bytes);
    for (const waiter of waiting) if (this.pending <= waiter.bytes) waiter.resolve();
  }

  digested(hex: string): void {
    this.result?.resolve(hex);
    this.result = null;
  }

  failed(error: Error): void {
    this.failure = error;
    this.pending = 0;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    this.result?.reject(error);
    this.result = null;
  }
}

/**
 * One worker thread hashing the uploads assigned to it. It starts on first
 * use and keeps the process alive only while an upload uses it. A thread that
 * dies fails its uploads' hashes; the next upload starts a new one.
 */
class HashThread {
  private worker: Worker | null = null;
  private readonly streams = new Map<number, ThreadStream>();
  private nextId = 0;

  open(): RemoteSha256 {
    const worker = this.start();
    const stream = new ThreadStream(this, this.nextId++);
    if (this.streams.size === 0) worker.ref();
    this.streams.set(stream.id, stream);
    return stream;
  }

  post(message: { id: number; op: string; data?: ArrayBufferLike }, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  release(stream: ThreadStream): void {
    if (!this.streams.delete(stream.id)) return;
    if (this.streams.size === 0) this.worker?.unref();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', ({ id, op, bytes, hex }: ThreadReply) => {
      const stream = this.streams.get(id);
      if (!stream) return;
      if (op === 'ack') {
        stream.acknowledged(bytes ?? 0);
      } else {
        this.release(stream);
        stream.digested(hex ?? '');
      }
    });
    const fail = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      const streams = [...this.streams.values()];
      this.streams.clear();
      for (const stream of streams) stream.failed(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SHA-256 thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

/** Leaves a core to the event loop; more threads than uploads in flight never start. */
const THREAD_COUNT = Math.max(1, Math.min(4, availableParallelism() - 1));
const threads: HashThread[] = [];
let turn = 0;

/** A SHA-256 state in one of the process's hash threads, taken in turn. */
export function openRemoteSha256(): RemoteSha256 {
  const index = turn++ % THREAD_COUNT;
  threads[index] ??= new HashThread();
  return threads[index].open();
}
