export interface StepCreditOptions {
  /** All or nothing: resolves true when `bytes` more were granted (charged, reserved). */
  ask: (bytes: number) => Promise<boolean>;
  /** The first step; each step granted doubles the next, up to `maxStep`. */
  firstStep: number;
  maxStep: number;
}

/**
 * Quota granted ahead of the bytes that use it (download charges, upload
 * reservations), in steps that grow (1, 2, 4 ... 64 MiB) so that a long
 * transfer asks the database a few dozen times, not once per MiB. The next
 * step is asked for while the current one is used (once less than half of
 * the last step is left), so a stream only waits for a grant at its start
 * and when the quota runs short.
 *
 * Never more is used than was granted: take() refuses what is not covered,
 * and takeAsync() waits for the grant first. When a step is refused (the
 * quota is nearly used up), smaller ones are tried down to the bytes needed,
 * so the last bytes of a quota can still be used, and nothing is asked
 * ahead any more. What was granted and not used (`unused`) is the caller's
 * to give back, after settle().
 */
export class StepCredit {
  granted = 0;
  used = 0;
  private step: number;
  private lastGrant = 0;
  private pending: Promise<void> | null = null;
  /** A step was refused or failed, or the transfer is over: no more asking ahead. */
  private short = false;

  constructor(private readonly options: StepCreditOptions) {
    this.step = options.firstStep;
  }

  get unused(): number {
    return this.granted - this.used;
  }

  /** Counts `bytes` as used when the credit covers them; false (nothing counted) when not. */
  take(bytes: number): boolean {
    const next = this.used + bytes;
    if (next > this.granted) return false;
    this.used = next;
    if (!this.short && this.pending === null && this.unused * 2 < this.lastGrant) this.askAhead();
    return true;
  }

  /** take() after waiting for the grant in flight and asking for what is missing; false when refused. */
  async takeAsync(bytes: number): Promise<boolean> {
    while (this.pending) await this.pending;
    if (this.take(bytes)) return true;
    const needed = this.used + bytes - this.granted;
    const granted = await this.askFallingBack(needed);
    if (granted === 0) return false;
    this.grant(granted);
    return this.take(bytes);
  }

  /** Forgets what was granted and not used (it is no longer the caller's to use or give back). */
  forfeit(): void {
    this.granted = this.used;
  }

  /** Stops asking ahead and waits for a grant in flight; `unused` is final afterwards. */
  async settle(): Promise<void> {
    this.short = true;
    while (this.pending) await this.pending;
  }

  private grant(bytes: number): void {
    this.granted += bytes;
    this.lastGrant = bytes;
    if (!this.short) this.step = Math.min(bytes * 2, this.options.maxStep);
  }

  private askAhead(): void {
    const bytes = this.step;
    this.pending = this.options.ask(bytes).then(
      (ok) => {
        this.pending = null;
        if (ok && !this.short) {
          this.grant(bytes);
        } else if (ok) {
          // Settled meanwhile: still the caller's to give back.
          this.granted += bytes;
        } else {
          this.short = true;
        }
      },
      () => {
        // The next takeAsync asks again and reports the failure itself.
        this.pending = null;
        this.short = true;
      },
    );
  }

  /** The step, else halves of it down to the first step, else exactly `needed`; 0 = refused. */
  private async askFallingBack(needed: number): Promise<number> {
    let bytes = Math.max(this.step, needed);
    for (;;) {
      if (await this.options.ask(bytes)) return bytes;
      this.short = true;
      if (bytes <= needed) return 0;
      const half = Math.floor(bytes / 2);
      bytes = half >= this.options.firstStep && half > needed ? half : needed;
      this.step = bytes;
    }
  }
}
