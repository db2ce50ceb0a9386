import { RateLimiter } from "./rate_limiter.ts";

/** Inbound limits of one connection. */
export interface InboundLimits {
  /** Token bucket: at most `burst` frames at once, refilled at `perSecond`. */
  readonly burst: number;
  readonly perSecond: number;
  /** Refused frames within `strikeWindowMs` that close the connection for abuse. */
  readonly strikes: number;
  readonly strikeWindowMs: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** What the limiter decided about one inbound frame. */
export type Admission =
  | { readonly ok: true }
  | {
    readonly ok: false;
    /** Seconds until a frame would be admitted. */
    readonly retryAfter: number;
    /** The connection kept sending past its refusals: close it. */
    readonly abuse: boolean;
  };

const ADMITTED: Admission = { ok: true };

/**
 * Applies a connection's inbound rate limit: each frame takes a token; a
 * frame without one is refused and counts as a strike. `strikes` refusals
 * within any `strikeWindowMs` mark the connection as abusive, however many
 * frames got through between them, so a client cannot stay just over the
 * rate forever: it is told `retry_after`, and closed if it does not listen.
 */
export class InboundLimiter {
  readonly #bucket: RateLimiter;
  readonly #maxStrikes: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  /** Times of the recent strikes, oldest first (at most `strikes` of them). */
  readonly #strikes: number[] = [];

  constructor(limits: InboundLimits) {
    this.#now = limits.now ?? Date.now;
    this.#bucket = new RateLimiter({ ...limits, now: this.#now });
    this.#maxStrikes = limits.strikes;
    this.#windowMs = limits.strikeWindowMs;
  }

  /** Decides whether one inbound frame is served. */
  admit(): Admission {
    const wait = this.#bucket.take();
    if (wait === 0) return ADMITTED;
    const now = this.#now();
    const strikes = this.#strikes;
    while (strikes.length > 0 && now - (strikes[0] as number) >= this.#windowMs) strikes.shift();
    strikes.push(now);
    if (strikes.length > this.#maxStrikes) strikes.shift();
    return {
      ok: false,
      retryAfter: Math.ceil(wait * 1000) / 1000,
      abuse: strikes.length >= this.#maxStrikes,
    };
  }
}
