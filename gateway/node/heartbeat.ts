import type { Connection } from "../connection/connection.ts";
import { CloseCode } from "../protocol/mod.ts";

/**
 * WebSocket heartbeats, one sweep for the whole node, twice an interval:
 * each connection is pinged once an interval, and one that has sent
 * nothing (not even a pong) for two intervals is dropped as dead (4010),
 * at most half an interval later. Timers are not kept per connection.
 */
export class Heartbeat {
  readonly #connections: Iterable<Connection>;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastPing = 0;
  /** Connections dropped because their peer went silent. */
  dropped = 0;

  constructor(options: { connections: Iterable<Connection>; intervalMs: number }) {
    this.#connections = options.connections;
    this.#intervalMs = options.intervalMs;
  }

  start(): void {
    this.#timer = setInterval(() => this.#sweep(), this.#intervalMs / 2);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    const now = Date.now();
    const ping = now - this.#lastPing >= this.#intervalMs * 0.9;
    if (ping) this.#lastPing = now;
    for (const connection of [...this.#connections]) {
      const transport = connection.transport;
      if (now - transport.lastSeen > 2 * this.#intervalMs) {
        this.dropped++;
        connection.log.info("closing: heartbeat lost");
        connection.drop(CloseCode.heartbeatTimeout);
      } else if (ping) {
        transport.ping();
      }
    }
  }
}
