/**
 * A token bucket for one client's frames: `burst` at once, then one every `gapMs`. A frame over
 * the limit is not lost if it is the last one: it is kept and handled as soon as a token is free,
 * so a presenter dragging the scrubber fast still ends where they let go.
 */
export class RateGate {
  private tokens: number;
  private refilledAt: number;
  private deferred: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly burst: number,
    private readonly gapMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  /** Runs `task` now if a token is free; otherwise keeps it (replacing any kept before) for later. */
  pass(task: () => void): void {
    this.refill();
    if (this.tokens >= 1 && this.deferred === null) {
      this.tokens--;
      return task();
    }
    this.deferred = task;
    this.timer ??= setTimeout(() => this.release(), Math.max(1, this.gapMs - (this.now() - this.refilledAt)));
  }

  close(): void {
    clearTimeout(this.timer);
    this.deferred = null;
  }

  private release(): void {
    this.timer = undefined;
    const task = this.deferred;
    this.deferred = null;
    if (task) this.pass(task);
  }

  private refill(): void {
    const now = this.now();
    const earned = Math.floor((now - this.refilledAt) / this.gapMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.refilledAt = this.tokens === this.burst ? now : this.refilledAt + earned * this.gapMs;
  }
}
