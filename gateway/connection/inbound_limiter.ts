import { RateLimiter } from "./rate_limiter.ts";

/** Inbound limits of one connection. */
export interface InboundLimits {
  /** Token bucket: at most `burst` frames at once, refilled at `perSecond`. */
  readonly burst: number;
  readonly perSecond: number;
  /** Frames refused in a row before the connection is closed for abuse. */
  readonly strikes: number;
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
 * Applies a connection's inbound rate limit: each
 * frame takes a token; a frame without one is refused (a strike), and a
 * run of `strikes` refusals marks the connection as abusive.
 */
export class InboundLimiter {
  readonly #bucket: RateLimiter;
  readonly #maxStrikes: number;
  #strikes = 0;

  constructor(limits: InboundLimits) {
    this.#bucket = new RateLimiter(limits);
    this.#maxStrikes = limits.strikes;
  }

  /** Decides whether one inbound frame is served. */
  admit(): Admission {
    const wait = this.#bucket.take();
    if (wait === 0) {
      this.#strikes = 0;
      return ADMITTED;
    }
    this.#strikes++;
    return {
      ok: false,
      retryAfter: Math.ceil(wait * 1000) / 1000,
      abuse: this.#strikes >= this.#maxStrikes,
    };
  }
}
