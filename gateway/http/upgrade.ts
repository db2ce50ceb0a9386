import type http from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { type Principal, readCookie, tokenCookieName } from "../auth/mod.ts";
import type { Connection } from "../connection/connection.ts";
import { CloseCode } from "../protocol/mod.ts";
import { handshake, RawWebSocket, WebSocketTransport } from "../transport/mod.ts";
import { clientAddress } from "./client_address.ts";
import type { GatewayHost } from "./gateway_host.ts";
import { headersOf, refuseUpgrade } from "./node_bridge.ts";
import { originAllowed } from "./origin.ts";

/** The paths a WebSocket may open on (`/authenticated` is the archit.us client's). */
const PATHS = new Set(["/gateway", "/authenticated"]);

/** Query parameters that would carry a token in the URL, where logs and proxies keep it. */
const URL_TOKEN_PARAMS = ["token", "jwt", "access_token", "auth", "authorization", "dev-token"];

/** How long a refused oversized frame may be read and dropped, and how long a close may take. */
const DRAIN_OVERSIZE_UP_TO = 1024 * 1024;
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Turns an upgrade request on `/gateway` (or `/authenticated`) into a
 * connection, or refuses it with a plain HTTP answer before the 101: a
 * malformed handshake (400), a node stopping or full (503), a token in the
 * URL (400), a foreign origin (403). A valid `token` / `dev-token` cookie
 * elevates the connection from the start. Past the per-address cap the
 * WebSocket opens and is closed at once with 4529, so a browser sees why.
 */
export function upgradeListener(
  gateway: GatewayHost,
): (req: http.IncomingMessage, socket: Duplex, head: Uint8Array) => void {
  const cookieName = tokenCookieName(gateway.config.production);
  const refuse = (socket: Duplex, reason: string, status: number, text: string, extra = {}) => {
    gateway.refusedUpgrade(reason);
    refuseUpgrade(socket, status, text, extra);
  };
  return (req, socket, head) => {
    // Frames may follow the request at once: nothing reads the socket until `ws.start()`.
    // (Not `pause()`: under Deno a later `resume()` would make `pause()` unable to stop
    // reading, which is what refuses an oversized frame's payload.)
    void (async () => {
      const url = new URL(req.url ?? "/", "http://gateway");
      if (!PATHS.has(url.pathname)) return refuse(socket, "not_found", 404, "not found");
      const check = handshake(req);
      if ("refused" in check) {
        gateway.diagnostics.debug("upgrade refused: malformed handshake", { why: check.refused });
        return refuse(socket, "malformed", 400, `malformed WebSocket handshake: ${check.refused}`);
      }
      if (!gateway.accepting) return refuse(socket, "shutting_down", 503, "shutting down");
      const headers = headersOf(req);
      const peer = clientAddress(
        headers,
        (socket as Socket).remoteAddress,
        gateway.config.connections.trustedProxyHeader,
      );
      const admission = gateway.admission(peer);
      if (admission === "node_full") {
        gateway.diagnostics.info("upgrade refused: node full", { peer });
        return refuse(socket, "node_full", 503, "this node is full; try another", {
          "Retry-After": "5",
        });
      }
      if (URL_TOKEN_PARAMS.some((p) => url.searchParams.has(p))) {
        gateway.diagnostics.info("upgrade refused: token in URL", { peer });
        return refuse(
          socket,
          "token_in_url",
          400,
          "tokens travel in frames or cookies, never in the URL",
        );
      }
      const origin = headers.get("origin");
      const allowed = originAllowed(origin, {
        production: gateway.config.production,
        allowedOrigins: gateway.config.allowedOrigins,
        host: headers.get("host"),
      });
      if (!allowed) {
        gateway.diagnostics.info("upgrade refused: origin", {
          peer,
          origin: origin?.slice(0, 100),
        });
        return refuse(socket, "origin", 403, "origin not allowed");
      }
      let principal: Principal | null = null;
      const cookie = readCookie(headers.get("cookie"), cookieName);
      if (cookie !== undefined) {
        try {
          principal = await gateway.verifier.verify(cookie);
        } catch {
          principal = null; // An invalid cookie leaves the connection unauthenticated.
        }
      }
      if (socket.destroyed) return;
      socket.write(check.response);
      const wired: { connection?: Connection } = {};
      const ws = new RawWebSocket(socket as Socket, head, {
        maxFrameBytes: gateway.config.maxFrameBytes,
        closeTimeoutMs: CLOSE_TIMEOUT_MS,
        drainOversizeUpTo: DRAIN_OVERSIZE_UP_TO,
      }, {
        onMessage: (data) => {
          if (wired.connection !== undefined) gateway.receive(wired.connection, data);
        },
        onClose: (code) => {
          if (wired.connection !== undefined) void gateway.close(wired.connection, code);
        },
      });
      const transport = new WebSocketTransport(ws);
      if (admission === "peer_full") {
        gateway.refusedUpgrade("peer_full");
        // A close code tells a browser why, which an HTTP status on the upgrade cannot.
        transport.close(CloseCode.connectionLimit, "too many connections from this address");
      } else {
        wired.connection = gateway.open(transport, principal, peer);
      }
      ws.start();
    })().catch((error) => {
      gateway.diagnostics.warn("upgrade failed", { error });
      socket.destroy();
    });
  };
}
