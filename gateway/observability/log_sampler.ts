import type { Diagnostics, Fields } from "./diagnostics.ts";

/**
 * Keeps a frequent diagnostic (a connection opened, closed) readable under
 * load: at most `perSecond` lines a second go out; the rest are counted,
 * and the count is written once the second is over, so an operator sees
 * both the individual lines and how many were left out.
 */
export class LogSampler {
  readonly #log: Diagnostics;
  readonly #perSecond: number;
  readonly #now: () => number;
  #windowStart = 0;
  #written = 0;
  #suppressed = 0;

  constructor(log: Diagnostics, options: { perSecond: number; now?: () => number }) {
    this.#log = log;
    this.#perSecond = options.perSecond;
    this.#now = options.now ?? Date.now;
  }

  info(log: Diagnostics, msg: string, fields: Fields): void {
    const now = this.#now();
    if (now - this.#windowStart >= 1000) {
      if (this.#suppressed > 0) {
        this.#log.info("connection lines left out under load", { suppressed: this.#suppressed });
      }
      this.#windowStart = now;
      this.#written = 0;
      this.#suppressed = 0;
    }
    if (this.#written < this.#perSecond) {
      this.#written++;
      log.info(msg, fields);
    } else {
      this.#suppressed++;
    }
  }
}
