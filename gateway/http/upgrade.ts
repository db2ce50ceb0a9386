import type { Context } from "hono";
import { type Principal, readCookie, tokenCookieName } from "../auth/mod.ts";
import type { GatewayHost } from "./gateway_host.ts";
import type { Connection } from "../connection/connection.ts";
import { WebSocketTransport } from "../transport/mod.ts";
import { originAllowed } from "./origin.ts";
import { clientAddress } from "./client_address.ts";
import { CloseCode } from "../protocol/mod.ts";

/** Query parameters that would carry a token in the URL, where logs and proxies keep it. */
const URL_TOKEN_PARAMS = ["token", "jwt", "access_token", "auth", "authorization", "dev-token"];

/**
 * Upgrades `GET /gateway` (and `/authenticated`) to a WebSocket connection.
 * Refuses foreign origins (403) and tokens in the URL (400); a valid
 * `token` / `dev-token` cookie elevates the connection from the start.
 */
export function upgradeHandler(gateway: GatewayHost): (c: Context) => Promise<Response> {
  const cookieName = tokenCookieName(gateway.config.production);
  return async (c) => {
    const req = c.req.raw;
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      gateway.refusedUpgrade("not_websocket");
      return c.text("this endpoint speaks WebSocket only", 426);
    }
    if (!gateway.accepting) {
      gateway.refusedUpgrade("shutting_down");
      return c.text("shutting down", 503);
    }
    const peer = clientAddress(
      req.headers,
      (c.env as Deno.ServeHandlerInfo<Deno.NetAddr> | undefined)?.remoteAddr?.hostname,
      gateway.config.connections.trustedProxyHeader,
    );
    const admission = gateway.admission(peer);
    if (admission === "node_full") {
      gateway.diagnostics.info("upgrade refused: node full", { peer });
      gateway.refusedUpgrade("node_full");
      return c.text("this node is full; try another", 503, { "retry-after": "5" });
    }
    const url = new URL(req.url);
    if (URL_TOKEN_PARAMS.some((p) => url.searchParams.has(p))) {
      gateway.diagnostics.info("upgrade refused: token in URL", { peer });
      gateway.refusedUpgrade("token_in_url");
      return c.text("tokens travel in frames or cookies, never in the URL", 400);
    }
    const origin = req.headers.get("origin");
    if (
      !originAllowed(origin, {
        production: gateway.config.production,
        allowedOrigins: gateway.config.allowedOrigins,
        host: req.headers.get("host"),
      })
    ) {
      gateway.diagnostics.info("upgrade refused: origin", { peer, origin: origin?.slice(0, 100) });
      gateway.refusedUpgrade("origin");
      return c.text("origin not allowed", 403);
    }
    let principal: Principal | null = null;
    const cookie = readCookie(req.headers.get("cookie"), cookieName);
    if (cookie !== undefined) {
      try {
        principal = await gateway.verifier.verify(cookie);
      } catch {
        principal = null; // An invalid cookie leaves the connection unauthenticated.
      }
    }
    let upgraded;
    try {
      upgraded = Deno.upgradeWebSocket(req, { idleTimeout: gateway.config.heartbeatSeconds });
    } catch {
      // A malformed handshake (no key, wrong version): the client's fault, not ours.
      gateway.diagnostics.debug("upgrade refused: malformed handshake", { peer });
      gateway.refusedUpgrade("malformed");
      return c.text("malformed WebSocket handshake", 400);
    }
    const { socket, response } = upgraded;
    const transport = new WebSocketTransport(socket);
    let connection: Connection | undefined;
    socket.onopen = () => {
      if (admission === "peer_full") {
        // A close code tells a browser why, which an HTTP status on the upgrade cannot.
        gateway.refusedUpgrade("peer_full");
        transport.close(CloseCode.connectionLimit, "too many connections from this address");
        return;
      }
      connection = gateway.open(transport, principal, peer);
    };
    socket.onmessage = (event) => {
      if (connection !== undefined) gateway.receive(connection, event.data);
    };
    socket.onclose = (event) => {
      if (connection !== undefined) void gateway.close(connection, event.code);
    };
    socket.onerror = () => {
      // The close event follows; nothing to do here.
    };
    return response;
  };
}
