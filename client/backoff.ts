// This module is browser-compatible.

/** Settings of an exponential backoff with full jitter. */
export interface BackoffOptions {
  /** The ceiling of the first delay, in milliseconds. Default 250. */
  readonly baseMs?: number;
  /** The largest ceiling any delay may reach, in milliseconds. Default 20 000. */
  readonly maxMs?: number;
  /** A source of numbers in [0, 1). Default `Math.random`; tests inject their own. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 250;
export const DEFAULT_BACKOFF_MAX_MS = 20_000;

/**
 * The upper bound of the delay before retry number `attempt` (0-based):
 * `min(maxMs, baseMs * 2^attempt)`.
 */
export function backoffCeiling(attempt: number, baseMs: number, maxMs: number): number {
  // 2^1024 is Infinity; capping the exponent keeps the arithmetic finite.
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 1000);
  return Math.min(maxMs, baseMs * 2 ** exponent);
}

/**
 * The delay before retry number `attempt`, drawn uniformly from
 * [0, ceiling) ("full jitter"): spreading retries over the whole window
 * keeps a fleet of clients that lost the same node from reconnecting in
 * lockstep.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const draw = random();
  // A misbehaving source must not produce negative or endless delays.
  const unit = Number.isFinite(draw) ? Math.min(1, Math.max(0, draw)) : 1;
  return unit * backoffCeiling(attempt, baseMs, maxMs);
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

  constructor(options: BackoffOptions = {}) {
    this.#baseMs = checkMs("baseMs", options.baseMs ?? DEFAULT_BACKOFF_BASE_MS);
    this.#maxMs = checkMs("maxMs", options.maxMs ?? DEFAULT_BACKOFF_MAX_MS);
    this.#random = options.random ?? Math.random;
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; each call counts one more attempt. */
  next(): number {
    const delay = backoffDelay(this.#attempt, this.#baseMs, this.#maxMs, this.#random);
    this.#attempt++;
    return delay;
  }

  /** Starts over from the smallest window, after a connection proved stable. */
  reset(): void {
    this.#attempt = 0;
  }
}
