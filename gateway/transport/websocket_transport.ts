import type { RawWebSocket } from "./raw_websocket.ts";
import type { Transport } from "./transport.ts";

/** A `Transport` over the gateway's own RFC 6455 layer. */
export class WebSocketTransport implements Transport {
  readonly #socket: RawWebSocket;

  constructor(socket: RawWebSocket) {
    this.#socket = socket;
  }

  get open(): boolean {
    return this.#socket.open;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  get lastSeen(): number {
    return this.#socket.lastSeen;
  }

  send(text: string): void {
    this.#socket.send(text);
  }

  destroy(): void {
    this.#socket.destroy();
  }

  ping(): void {
    this.#socket.ping();
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason.slice(0, 120));
  }
}
