/**
 * The client transport boundary.
 *
 * @module
 */
export type { Transport } from "./transport.ts";
export { WebSocketTransport } from "./transport_websocket.ts";
