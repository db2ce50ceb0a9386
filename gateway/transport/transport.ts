/**
 * One client connection as the core sees it. The core never touches a
 * socket directly, so it can be driven by a fake in unit tests and by the
 * RFC 6455 layer (`RawWebSocket`) in production.
 *
 * `send` is synchronous on purpose: it is the fan-out hot path. It never
 * throws and never blocks; callers watch `bufferedAmount` for backpressure.
 */
export interface Transport {
  /** Queues a text frame; silently dropped once the transport is closing. */
  send(text: string): void;
  /**
   * Starts a close handshake with `code` and a short `reason`: frames sent
   * before it arrive first; the peer's later frames are not read. Idempotent.
   */
  close(code: number, reason: string): void;
  /** Drops the connection at once, without a close handshake (the peer is gone). Idempotent. */
  destroy(): void;
  /** Sends a ping; the peer's pong (like any frame) moves `lastSeen`. */
  ping(): void;
  /** Bytes queued for sending and not yet written to the socket. */
  readonly bufferedAmount: number;
  /** True until a close has started. */
  readonly open: boolean;
  /** When the peer last sent anything (ms since the epoch), for the heartbeat. */
  readonly lastSeen: number;
}
