/** RFC 959 does not bound a command line; 4096 bytes is what real clients never exceed. */
export const MAX_LINE_BYTES = 4096;

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const DONT = 0xfe;
const LF = 0x0a;
const CR = 0x0d;
/** "ABOR" in ASCII, upper case. */
const ABOR = [0x41, 0x42, 0x4f, 0x52];

const enum State {
  Normal,
  Iac,
  Option,
  Sub,
  SubIac,
  /** An "ABOR<CR>" was emitted; a directly following LF belongs to it. */
  AborCr,
}

/**
 * Shared assembly buffer: push() is synchronous, so one buffer serves every
 * session; only an unfinished line is copied into a per-session buffer.
 * That keeps an idle session at zero bytes of codec memory.
 */
const scratch = Buffer.allocUnsafe(MAX_LINE_BYTES + 1);

/**
 * Telnet-aware CRLF framing (RFC 959 §4.1 / RFC 854): lines may span TCP
 * segments, a segment may hold several lines, Telnet commands (IAC IP, IAC DM,
 * option negotiation) are removed, `IAC IAC` is a literal 0xFF. Lines are
 * decoded as UTF-8 (RFC 2640).
 */
export class LineCodec {
  private pending: Buffer | null = null;
  private state: State = State.Normal;
  private closed = false;
  /** Bumped by reset(): tells a running push() loop to drop the rest of its chunk. */
  private generation = 0;
  /** Set by pause(): no line is emitted until resume(). */
  private paused = false;
  /** Bytes received but not yet framed, kept while paused. */
  private held: Buffer | null = null;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.closed) return;
    if (this.paused) {
      this.held = this.held === null ? chunk : Buffer.concat([this.held, chunk]);
      return;
    }
    let len = 0;
    if (this.pending !== null) {
      len = this.pending.copy(scratch, 0);
      this.pending = null;
    }
    let state = this.state;
    const generation = this.generation;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      switch (state) {
        case State.Normal:
          if (b === IAC) {
            state = State.Iac;
            continue;
          }
          if (b === LF) {
            const end = len > 0 && scratch[len - 1] === CR ? len - 1 : len;
            const line = scratch.toString('utf8', 0, end);
            len = 0;
            this.onLine(line);
            // onLine may have reset (AUTH TLS) or closed the codec: drop the rest.
            if (this.closed || this.generation !== generation) return;
            if (this.paused) return this.hold(chunk, i + 1, state);
            continue;
          }
          if (b === CR && isAbor(len)) {
            // Python ftplib sends "ABOR\r\n" with MSG_OOB: the LF becomes TCP
            // urgent data and never arrives inline, so ABOR<CR> ends the line.
            len = 0;
            state = State.AborCr;
            this.onLine('ABOR');
            if (this.closed || this.generation !== generation) return;
            if (this.paused) return this.hold(chunk, i + 1, state);
            continue;
          }
          if (len >= MAX_LINE_BYTES) {
            this.closed = true;
            this.onOverflow();
            return;
          }
          scratch[len++] = b;
          continue;
        case State.AborCr:
          state = State.Normal;
          if (b !== LF) i--; // not ours: process the byte normally
          continue;
        case State.Iac:
          if (b === IAC) {
            // Escaped 0xFF data byte.
            state = State.Normal;
            if (len >= MAX_LINE_BYTES) {
              this.closed = true;
              this.onOverflow();
              return;
            }
            scratch[len++] = b;
          } else if (b >= WILL && b <= DONT) {
            state = State.Option;
          } else if (b === SB) {
            state = State.Sub;
          } else {
            // IAC IP, IAC DM, IAC AO...: a bare Telnet command, nothing to keep.
            state = State.Normal;
          }
          continue;
        case State.Option:
          state = State.Normal;
          continue;
        case State.Sub:
          if (b === IAC) state = State.SubIac;
          continue;
        case State.SubIac:
          state = b === SE ? State.Normal : State.Sub;
          continue;
      }
    }
    this.state = state;
    if (len > 0) this.pending = Buffer.from(scratch.subarray(0, len));
  }

  /**
   * Stops emitting lines: the rest of the chunk being framed, and any chunk
   * pushed meanwhile, is kept unframed until resume(). The session pauses its
   * socket and its codec together, so a segment of thousands of tiny commands
   * queues no more lines than the session allows.
   */
  pause(): void {
    this.paused = true;
  }

  /** Frames what was kept while paused (which may pause again), then goes on. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const held = this.held;
    this.held = null;
    if (held !== null) this.push(held);
  }

  /** Drops everything buffered (used when the connection switches to TLS). */
  reset(): void {
    this.pending = null;
    this.held = null;
    this.state = State.Normal;
    this.generation++;
  }

  close(): void {
    this.closed = true;
    this.pending = null;
    this.held = null;
  }

  /** Keeps chunk[from..] for resume(); a line just ended, so nothing is half-assembled. */
  private hold(chunk: Buffer, from: number, state: State): void {
    this.state = state;
    if (from < chunk.length) this.held = chunk.subarray(from);
  }
}

/** True when the assembled bytes are "ABOR" (any case), maybe behind stray Telnet bytes. */
function isAbor(len: number): boolean {
  if (len < 4) return false;
  for (let i = 0; i < len - 4; i++) {
    const c = scratch[i];
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return false;
  }
  for (let i = 0; i < 4; i++) {
    if ((scratch[len - 4 + i] & 0xdf) !== ABOR[i]) return false;
  }
  return true;
}
