// This module is browser-compatible.
import { HOAR_FROST_EPOCH_MS } from "./ids.ts";

/**
 * Makes hoar frosts: `(ms since 2015-01-01) << 22 | node << 17 | pid << 12 |
 * counter`, as Architus does. Ids from one generator strictly increase,
 * also when the clock stalls or steps back within a millisecond.
 */
export class HoarFrostGenerator {
  readonly #node: bigint;
  readonly #pid: bigint;
  readonly #now: () => number;
  #lastMs = 0;
  #counter = 0;

  constructor(options: { node?: number; pid?: number; now?: () => number } = {}) {
    this.#node = BigInt((options.node ?? 0) & 31);
    this.#pid = BigInt((options.pid ?? 0) & 31);
    this.#now = options.now ?? Date.now;
  }

  /** The next id, as a decimal string. */
  next(): string {
    let ms = Math.max(this.#now() - HOAR_FROST_EPOCH_MS, this.#lastMs);
    if (ms === this.#lastMs) {
      this.#counter++;
      if (this.#counter > 0xfff) {
        ms++;
        this.#counter = 0;
      }
    } else {
      this.#counter = 0;
    }
    this.#lastMs = ms;
    return String(
      (BigInt(ms) << 22n) | (this.#node << 17n) | (this.#pid << 12n) | BigInt(this.#counter),
    );
  }
}

/** The creation time, in ms since the Unix epoch, of a hoar frost or snowflake. */
export function hoarFrostTime(id: string): number {
  return Number(BigInt(id) >> 22n) + HOAR_FROST_EPOCH_MS;
}

/** The smallest id made at `ms` (Unix epoch ms); every id made later is larger. */
export function hoarFrostAt(ms: number): string {
  return String(BigInt(Math.max(0, ms - HOAR_FROST_EPOCH_MS)) << 22n);
}
