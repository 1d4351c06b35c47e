import { availableParallelism } from 'node:os';

import { EvalThread } from '../threads/eval-thread';

export type HashRequest =
  | { op: 'update'; id: number; first: boolean; data: ArrayBuffer }
  | { op: 'digest'; id: number; empty: boolean }
  | { op: 'drop'; id: number };

/**
 * The hashing side: one SHA-256 state per upload id. A thread that died and
 * was started again has lost its states: an update that is not an upload's
 * first, or a digest of an upload that sent bytes, then fails instead of
 * hashing from scratch, so a digest is never of part of the bytes.
 */
export const HASH_THREAD_BODY = `
const { createHash } = require('node:crypto');
const states = new Map();
function handle(request) {
  const { op, id } = request;
  let state = states.get(id);
  if (op === 'update') {
    if (!state) {
      if (!request.first) throw new Error('SHA-256 state lost (the hash thread restarted)');
      states.set(id, (state = createHash('sha256')));
    }
    state.update(new Uint8Array(request.data));
    return null;
  }
  states.delete(id);
  if (op !== 'digest') return null;
  if (!state && !request.empty) throw new Error('SHA-256 state lost (the hash thread restarted)');
  return (state || createHash('sha256')).digest('hex');
}`;

/** An upload's SHA-256 computed in a hash thread (see UploadHash). */
export interface RemoteSha256 {
  /** Bytes handed over and not yet hashed. */
  readonly pending: number;
  /** Hands `bytes` over; its ArrayBuffer is transferred (detached here) and must be its own. */
  update(bytes: Buffer): void;
  /** Resolves once `pending` is at most `bytes` (at once if it already is, or after a failure). */
  whenPendingAtMost(bytes: number): Promise<void>;
  /** The hex digest of everything handed over; rejects when the thread failed meanwhile. */
  digest(): Promise<string>;
  /** Forgets the state without a digest (aborted upload). */
  drop(): void;
}

export class ThreadSha256 implements RemoteSha256 {
  pending = 0;
  private sent = false;
  private finished = false;
  private failure: Error | null = null;
  private waiters: Array<{ bytes: number; resolve: () => void }> = [];

  constructor(
    private readonly thread: EvalThread<HashRequest, string | null>,
    private readonly id: number,
  ) {}

  update(bytes: Buffer): void {
    if (this.finished) throw new Error('SHA-256 stream already finished');
    // After a failure the upload goes on; digest() reports it.
    if (this.failure) return;
    const size = bytes.length;
    const data = bytes.buffer as ArrayBuffer;
    this.pending += size;
    const first = !this.sent;
    this.sent = true;
    this.thread.request({ op: 'update', id: this.id, first, data }, [data]).then(
      () => this.hashed(size),
      (error: unknown) => this.fail(error as Error),
    );
  }

  whenPendingAtMost(bytes: number): Promise<void> {
    if (this.pending <= bytes || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ bytes, resolve }));
  }

  async digest(): Promise<string> {
    if (this.finished) throw new Error('SHA-256 stream already finished');
    this.finished = true;
    if (this.failure) throw this.failure;
    // Requests are answered in order: every update is hashed before this.
    const hex = await this.thread.request({ op: 'digest', id: this.id, empty: !this.sent });
    if (this.failure) throw this.failure;
    return hex!;
  }

  drop(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.sent) this.thread.request({ op: 'drop', id: this.id }).catch(() => undefined);
  }

  private hashed(bytes: number): void {
    this.pending -= bytes;
    this.release();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.pending = 0;
    this.release();
  }

  private release(): void {
    const waiting = this.waiters;
    this.waiters = waiting.filter((waiter) => this.pending > waiter.bytes);
    for (const waiter of waiting) if (this.pending <= waiter.bytes) waiter.resolve();
  }
}

/** Leaves a core to the event loop; a thread starts only when an upload first uses it. */
const THREAD_COUNT = Math.max(1, Math.min(4, availableParallelism() - 1));
const threads: Array<EvalThread<HashRequest, string | null>> = [];
let nextId = 0;

/** A SHA-256 state in one of the process's hash threads, taken in turn. */
export function openRemoteSha256(): RemoteSha256 {
  const id = nextId++;
  const index = id % THREAD_COUNT;
  threads[index] ??= new EvalThread<HashRequest, string | null>(HASH_THREAD_BODY);
  return new ThreadSha256(threads[index], id);
}
