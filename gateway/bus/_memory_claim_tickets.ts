interface Ticket {
  /** The body, until it is claimed. */
  body: string | null;
  readonly expiresAt: number;
}

/** Past this many tickets, spent and expired ones are swept on the next stash. */
const SWEEP_ABOVE = 1024;

/**
 * Claim tickets in process memory, for the in-memory broker: a map with
 * take semantics. A claimed ticket stays as an empty entry until its TTL
 * ends, so stashing the name again meanwhile changes nothing, as on
 * RabbitMQ. Private to the bus folder.
 */
export class MemoryClaimTickets {
  readonly #tickets = new Map<string, Ticket>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  stash(name: string, body: string, ttlMs: number): void {
    const now = this.#now();
    const known = this.#tickets.get(name);
    if (known !== undefined && known.expiresAt > now) return; // the first stash wins
    if (this.#tickets.size >= SWEEP_ABOVE) this.#sweep(now);
    this.#tickets.set(name, { body, expiresAt: now + ttlMs });
  }

  claim(name: string): string | null {
    const ticket = this.#tickets.get(name);
    if (ticket === undefined) return null;
    if (ticket.expiresAt <= this.#now()) {
      this.#tickets.delete(name);
      return null;
    }
    const body = ticket.body;
    ticket.body = null;
    return body;
  }

  #sweep(now: number): void {
    for (const [name, ticket] of this.#tickets) {
      if (ticket.expiresAt <= now) this.#tickets.delete(name);
    }
  }
}
