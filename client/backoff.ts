// This module is browser-compatible.

/** Settings of the reconnect backoff (decorrelated jitter). */
export interface BackoffOptions {
  /** The shortest delay, in milliseconds. Default 250. */
  readonly baseMs?: number;
  /** The longest delay, in milliseconds. Default 2 000. */
  readonly maxMs?: number;
  /** A source of numbers in [0, 1). Default `Math.random`; tests inject their own. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 250;
/**
 * Low on purpose: a client waits at most this long after the gateway is
 * back. A restart under a fleet of clients still spreads their reconnects
 * over the whole window, because each client's next delay is drawn afresh.
 */
export const DEFAULT_BACKOFF_MAX_MS = 2_000;

function unit(random: () => number): number {
  const draw = random();
  // A misbehaving source must not produce negative or endless delays.
  return Number.isFinite(draw) ? Math.min(1, Math.max(0, draw)) : 1;
}

/**
 * "Decorrelated jitter": the next delay is drawn uniformly from
 * [baseMs, 3 × the previous delay], capped at `maxMs`. Delays grow quickly
 * towards the cap but keep being redrawn over the whole window, so clients
 * that lost the same node never settle into lockstep, and none waits more
 * than `maxMs` once the node is back.
 */
export function decorrelatedDelay(
  previousMs: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const high = Math.min(maxMs, Math.max(baseMs, previousMs * 3));
  const low = Math.min(baseMs, high);
  return low + unit(random) * (high - low);
}

function checkMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number of milliseconds >= 0`);
  }
  return value;
}

/** Counts failed attempts and hands out the delay before the next one. */
export class Backoff {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;
  #previous: number;

  constructor(options: BackoffOptions = {}) {
    this.#baseMs = checkMs("baseMs", options.baseMs ?? DEFAULT_BACKOFF_BASE_MS);
    this.#maxMs = Math.max(this.#baseMs, checkMs("maxMs", options.maxMs ?? DEFAULT_BACKOFF_MAX_MS));
    this.#random = options.random ?? Math.random;
    this.#previous = this.#baseMs;
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; each call counts one more attempt. */
  next(): number {
    const delay = decorrelatedDelay(this.#previous, this.#baseMs, this.#maxMs, this.#random);
    this.#previous = delay;
    this.#attempt++;
    return delay;
  }

  /** Starts over from the smallest window, after a connection proved stable. */
  reset(): void {
    this.#attempt = 0;
    this.#previous = this.#baseMs;
  }
}
