// This module is browser-compatible.

/**
 * WebSocket close codes the gateway uses. 1000–1015 are the standard codes;
 * the gateway's own are 4000–4499 (reconnect) and 4500–4999 (terminal: do
 * not reconnect without a change, for example a new sign-in).
 */
export const CloseCode = {
  /** Normal closure, requested by the client. */
  normal: 1000,
  /** Invalid UTF-8 in a text frame (closed by the WebSocket layer). */
  invalidPayload: 1007,
  /** A frame over the size limit. Reconnect; do not resend that frame. */
  messageTooBig: 1009,
  /** The server is shutting down or restarting. Reconnect (another node). */
  serviceRestart: 1012,
  /** Kept sending after being rate limited. Reconnect after a pause. */
  rateLimited: 4008,
  /** Could not keep up with its outbound stream. Reconnect and resume logs. */
  slowConsumer: 4009,
  /** The server went silent on this connection's heartbeat. Reconnect. */
  heartbeatTimeout: 4010,
  /** Never elevated and never asked anything within the idle timeout. Reconnect when needed. */
  idleTimeout: 4011,
  /** The connection broke the protocol beyond repair. Terminal. */
  protocolViolation: 4500,
  /** The node refuses more connections from this client. Terminal for now. */
  connectionLimit: 4529,
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/** True when a client should reconnect after this close code. */
export function shouldReconnect(code: number): boolean {
  if (code >= 4500 && code <= 4999) return false;
  return true;
}

/** The table the README shows: code, name, meaning, reconnect?. */
export const CLOSE_CODE_TABLE: ReadonlyArray<
  { code: number; name: CloseCodeName; meaning: string; reconnect: boolean }
> = [
  { code: 1000, name: "normal", meaning: "closed normally", reconnect: true },
  {
    code: 1007,
    name: "invalidPayload",
    meaning: "a text frame was not valid UTF-8",
    reconnect: true,
  },
  {
    code: 1009,
    name: "messageTooBig",
    meaning: "a frame was over the size limit",
    reconnect: true,
  },
  {
    code: 1012,
    name: "serviceRestart",
    meaning: "the node is shutting down; reconnect, another node answers",
    reconnect: true,
  },
  {
    code: 4008,
    name: "rateLimited",
    meaning: "kept sending after rate-limit errors; wait, then reconnect",
    reconnect: true,
  },
  {
    code: 4009,
    name: "slowConsumer",
    meaning: "fell too far behind its outbound stream; reconnect and resume with `since`",
    reconnect: true,
  },
  {
    code: 4010,
    name: "heartbeatTimeout",
    meaning: "reserved: heartbeat lost (Deno drops the TCP connection itself)",
    reconnect: true,
  },
  {
    code: 4011,
    name: "idleTimeout",
    meaning: "never signed in nor asked anything within the idle timeout; reconnect when needed",
    reconnect: true,
  },
  {
    code: 4500,
    name: "protocolViolation",
    meaning: "broke the protocol beyond repair",
    reconnect: false,
  },
  {
    code: 4529,
    name: "connectionLimit",
    meaning: "too many connections from this client",
    reconnect: false,
  },
];
