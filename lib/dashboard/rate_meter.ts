// This module is browser-compatible.

/**
 * Events per second over a sliding window, counted in fixed buckets so
 * noting a batch is O(1) however fast events come.
 */
export class RateMeter {
  readonly #bucketMs: number;
  readonly #counts: number[];
  /** The bucket number (time / bucketMs) each slot last counted. */
  readonly #slots: number[];
  readonly #started: number;

  constructor(options: { windowMs?: number; bucketMs?: number; now?: number } = {}) {
    this.#bucketMs = options.bucketMs ?? 250;
    const buckets = Math.max(1, Math.round((options.windowMs ?? 5000) / this.#bucketMs));
    this.#counts = new Array(buckets).fill(0);
    this.#slots = new Array(buckets).fill(-1);
    this.#started = options.now ?? Date.now();
  }

  /** Counts `count` events at `now`. */
  note(count: number, now: number = Date.now()): void {
    const bucket = Math.floor(now / this.#bucketMs);
    const slot = bucket % this.#counts.length;
    if (this.#slots[slot] !== bucket) {
      this.#slots[slot] = bucket;
      this.#counts[slot] = 0;
    }
    this.#counts[slot] = (this.#counts[slot] as number) + count;
  }

  /** Events per second over the window ending at `now` (shorter while young). */
  rate(now: number = Date.now()): number {
    const bucket = Math.floor(now / this.#bucketMs);
    const oldest = bucket - this.#counts.length + 1;
    let total = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      const at = this.#slots[i] as number;
      if (at >= oldest && at <= bucket) total += this.#counts[i] as number;
    }
    const windowMs = this.#counts.length * this.#bucketMs;
    const elapsed = Math.min(windowMs, Math.max(this.#bucketMs, now - this.#started));
    return (total * 1000) / elapsed;
  }
}
