import type { Bus } from "../bus/mod.ts";
import type { NonceClaims } from "../handlers/mod.ts";

/** The claim ticket of one nonce: `gateway_nonce.<nonce>` (the bus adds `BUS_NAMESPACE`). */
export function nonceTicket(nonce: string): string {
  return `gateway_nonce.${nonce}`;
}

/**
 * The canonical text of a nonce (decimal, no leading zeros), from a JSON
 * number or decimal string; null for anything else. The REST API draws
 * `randbits(32)`, so a nonce is a small non-negative integer.
 */
export function canonicalNonce(value: unknown): string | null {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  }
  if (typeof value === "string" && /^[0-9]{1,20}$/.test(value)) return BigInt(value).toString();
  return null;
}

/**
 * Sign-in nonces as claim tickets on the bus: the node that answers the
 * REST API's `register_nonce` stashes the token, and whichever node the
 * browser then connects to claims it, once, within the TTL. The broker the
 * deployment already runs holds them (see `Bus.stash`), so any node may
 * answer either side, and a node started in between sees them too.
 */
export class ElevationNonces implements NonceClaims {
  readonly #bus: Bus;
  readonly #ttlMs: number;

  constructor(bus: Bus, options: { ttlMs: number }) {
    this.#bus = bus;
    this.#ttlMs = options.ttlMs;
  }

  /** Registers `token` under `nonce`; resolves once the bus holds it. Registering again is a no-op. */
  register(nonce: string, token: string): Promise<void> {
    return this.#bus.stash(nonceTicket(nonce), token, this.#ttlMs);
  }

  claim(nonce: string): Promise<string | null> {
    return this.#bus.claim(nonceTicket(nonce));
  }
}
