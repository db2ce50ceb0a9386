import { Hono } from "hono";
import type { GatewayHost } from "./gateway_host.ts";
import { upgradeHandler } from "./upgrade.ts";
import type { Metrics } from "../observability/metrics.ts";

/** The HTTP surface of a node: the WebSocket endpoint and the probes. */
export function createApp(gateway: GatewayHost, metrics?: Metrics): Hono {
  const app = new Hono();
  const upgrade = upgradeHandler(gateway);
  app.get("/gateway", upgrade);
  app.get("/authenticated", upgrade);
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    const state = await gateway.ready();
    return c.json(state, state.ready ? 200 : 503);
  });
  if (metrics !== undefined) {
    app.get("/metrics", async (c) => {
      return c.body(await metrics.text(), 200, { "content-type": metrics.contentType });
    });
  }
  app.onError((error, c) => {
    gateway.diagnostics.error("http handler failed", { path: c.req.path, error });
    return c.text("internal error", 500);
  });
  return app;
}
