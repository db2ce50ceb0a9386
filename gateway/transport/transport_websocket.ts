import type { Transport } from "./transport.ts";

/** A `Transport` over a server-side WebSocket from `Deno.upgradeWebSocket`. */
export class WebSocketTransport implements Transport {
  readonly #socket: WebSocket;
  #closing = false;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  get open(): boolean {
    return !this.#closing && this.#socket.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  send(text: string): void {
    if (!this.open) return;
    try {
      this.#socket.send(text);
    } catch {
      // The socket closed between the check and the send; the close event follows.
    }
  }

  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    try {
      this.#socket.close(code, reason.slice(0, 120));
    } catch {
      // Already closed.
    }
  }
}
