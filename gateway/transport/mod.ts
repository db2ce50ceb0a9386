/**
 * The client transport boundary: the interface the core sees, and the
 * gateway's own RFC 6455 layer behind it.
 *
 * @module
 */
export type { Transport } from "./transport.ts";
export {
  RawWebSocket,
  type RawWebSocketHandlers,
  type RawWebSocketOptions,
} from "./raw_websocket.ts";
export { handshake, type UpgradeRequest } from "./websocket_handshake.ts";
export { WebSocketTransport } from "./websocket_transport.ts";
