/**
 * One client connection as the core sees it. The core never touches a
 * WebSocket directly, so it can be driven by a fake in unit tests and by
 * `Deno.upgradeWebSocket` in production.
 *
 * `send` is synchronous on purpose: it is the fan-out hot path. It never
 * throws and never blocks; callers watch `bufferedAmount` for backpressure.
 */
export interface Transport {
  /** Queues a text frame; silently dropped once the transport is closing. */
  send(text: string): void;
  /** Starts a close handshake with `code` and a short `reason`. Idempotent. */
  close(code: number, reason: string): void;
  /** Bytes queued for sending and not yet written to the socket. */
  readonly bufferedAmount: number;
  /** True until a close has started. */
  readonly open: boolean;
}
