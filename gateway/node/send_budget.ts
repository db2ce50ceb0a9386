import type { Connection } from "../connection/connection.ts";
import { GatewayError } from "../errors.ts";

/** How often the node's unsent total is summed again, at most. */
const SAMPLE_MS = 100;

/**
 * The node's outbound budget: when the bytes waiting to be written to all
 * its sockets pass `budgetBytes`, new expensive work (whole pools, history)
 * is refused with `overloaded` until they drain, so that a crowd of slow
 * readers cannot make the node buffer without bound. The total is summed
 * lazily, at most every 100 ms, when expensive work asks.
 */
export class SendBudget {
  readonly #connections: Iterable<Connection>;
  readonly #budgetBytes: number;
  readonly #now: () => number;
  #sampledAt = -Infinity;
  #unsent = 0;
  /** Requests refused for it. */
  refused = 0;

  constructor(
    options: { connections: Iterable<Connection>; budgetBytes: number; now?: () => number },
  ) {
    this.#connections = options.connections;
    this.#budgetBytes = options.budgetBytes;
    this.#now = options.now ?? Date.now;
  }

  /** Bytes waiting to be written to every socket of the node (as last summed). */
  get unsent(): number {
    const now = this.#now();
    if (now - this.#sampledAt >= SAMPLE_MS) {
      this.#sampledAt = now;
      let total = 0;
      for (const connection of this.#connections) total += connection.transport.bufferedAmount;
      this.#unsent = total;
    }
    return this.#unsent;
  }

  /** Throws `overloaded` when the node is over its budget. */
  admitExpensive(): void {
    if (this.unsent <= this.#budgetBytes) return;
    this.refused++;
    throw new GatewayError("overloaded", "node is over its send budget", {
      details: { retry_after: 1 },
      retryAfter: 1,
    });
  }
}
