import { acceptKey } from "./websocket_frames.ts";

/** What an upgrade request must carry to become a WebSocket (RFC 6455 §4.2.1). */
export interface UpgradeRequest {
  readonly method?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Checks an upgrade request; returns the `101 Switching Protocols` answer
 * to write, or why the request is malformed (answered with a 400).
 */
export function handshake(req: UpgradeRequest): { readonly response: string } | {
  readonly refused: string;
} {
  const h = req.headers;
  const key = h["sec-websocket-key"];
  if (req.method !== "GET") return { refused: "method must be GET" };
  if (String(h["upgrade"] ?? "").toLowerCase() !== "websocket") {
    return { refused: "not a WebSocket upgrade" };
  }
  if (h["sec-websocket-version"] !== "13") return { refused: "unsupported WebSocket version" };
  if (typeof key !== "string" || !/^[A-Za-z0-9+/]{22}==$/.test(key)) {
    return { refused: "bad Sec-WebSocket-Key" };
  }
  if (!/\bupgrade\b/i.test(String(h["connection"] ?? ""))) {
    return { refused: "Connection: Upgrade expected" };
  }
  return {
    response: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  };
}
