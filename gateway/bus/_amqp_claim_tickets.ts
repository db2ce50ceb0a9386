import type { Channel, Connection } from "rabbitmq-client";
import { BusError } from "./bus.ts";

const decoder = new TextDecoder();

/** RabbitMQ's reply code names the library puts in `error.code`. */
const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * Claim tickets on RabbitMQ: one small queue per ticket, on the default
 * exchange, holding at most one message.
 *
 * - `stash` first checks (passively) whether the queue exists: if it does,
 *   the name was stashed already, waiting or claimed, and nothing changes.
 *   Otherwise it declares the queue (not durable; `x-expires` and
 *   `x-message-ttl` = the TTL; `x-max-length` 1 with `reject-publish`) and
 *   publishes the body with publisher confirms, so it resolves once the
 *   broker holds it. Two stashes racing past the check both publish; the
 *   broker keeps the first and nacks the second, which is then a no-op.
 * - `claim` is a `basic.get` without acknowledgement: the broker hands the
 *   one message to exactly one caller. The emptied queue is left to expire
 *   (`x-expires` counts from its last use), so a late, re-sent stash finds
 *   it and cannot arm the ticket again.
 *
 * Each operation has its own channel: a missing queue answers 404, which
 * closes the channel it was asked on, and must not take others' work with
 * it. Tickets are rare (one per sign-in), so the extra round trip is cheap.
 * Private to the bus folder.
 */
export class AmqpClaimTickets {
  readonly #conn: Connection;
  readonly #prefix: string;
  readonly #state: () => "ready" | "closed" | "unavailable";

  constructor(
    conn: Connection,
    options: { prefix: string; state: () => "ready" | "closed" | "unavailable" },
  ) {
    this.#conn = conn;
    this.#prefix = options.prefix;
    this.#state = options.state;
  }

  /** `Bus.stash`: rejects with a `BusError` when the broker is away or refuses. */
  stash(name: string, body: string, ttlMs: number): Promise<void> {
    return this.#guard("stash", () => this.#stash(name, body, ttlMs));
  }

  /** `Bus.claim`: rejects with a `BusError` when the broker is away or refuses. */
  claim(name: string): Promise<string | null> {
    return this.#guard("claim", () => this.#claim(name));
  }

  async #guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    const state = this.#state();
    if (state !== "ready") throw new BusError(state, "broker is not connected");
    try {
      return await work();
    } catch (error) {
      throw new BusError("unavailable", `${what} failed`, { cause: error });
    }
  }

  async #stash(name: string, body: string, ttlMs: number): Promise<void> {
    const queue = this.#prefix + name;
    const ttl = Math.max(1, Math.ceil(ttlMs));
    if (await this.#exists(queue)) return;
    await this.#withChannel(async (ch) => {
      await ch.queueDeclare({
        queue,
        durable: false,
        arguments: {
          "x-expires": ttl,
          "x-message-ttl": ttl,
          "x-max-length": 1,
          "x-overflow": "reject-publish",
        },
      });
      await ch.confirmSelect();
      try {
        await ch.basicPublish({ routingKey: queue, contentType: "text/plain" }, body);
      } catch (error) {
        if (codeOf(error) !== "NACK") throw error;
        // Another stash of the same name got there first: it holds the ticket.
      }
    });
  }

  async #claim(name: string): Promise<string | null> {
    const queue = this.#prefix + name;
    try {
      return await this.#withChannel(async (ch) => {
        const msg = await ch.basicGet({ queue, noAck: true });
        if (msg === undefined) return null;
        return typeof msg.body === "string"
          ? msg.body
          : msg.body instanceof Uint8Array
          ? decoder.decode(msg.body)
          : JSON.stringify(msg.body);
      });
    } catch (error) {
      if (codeOf(error) === "NOT_FOUND") return null; // never stashed, or expired
      throw error;
    }
  }

  async #exists(queue: string): Promise<boolean> {
    try {
      await this.#withChannel((ch) => ch.queueDeclare({ queue, passive: true }));
      return true;
    } catch (error) {
      if (codeOf(error) === "NOT_FOUND") return false;
      throw error;
    }
  }

  async #withChannel<T>(work: (ch: Channel) => Promise<T>): Promise<T> {
    const ch = await this.#conn.acquire();
    ch.on("error", () => {}); // a 404 closes the channel; the caller sees it as a rejection
    try {
      return await work(ch);
    } finally {
      if (ch.active) await ch.close().catch(() => {});
    }
  }
}
