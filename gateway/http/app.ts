import { gzipSync } from "node:zlib";
import { type Context, Hono } from "hono";
import type { GatewayHost } from "./gateway_host.ts";
import type { Metrics } from "../observability/metrics.ts";

/**
 * The HTTP surface of a node: the WebSocket endpoint and the probes, and
 * `/metrics` unless it is served on its own port (`metricsApp`). Every
 * response says `X-Content-Type-Options: nosniff`.
 */
export function createApp(gateway: GatewayHost, metrics?: Metrics): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    // A switched WebSocket response carries no body to sniff (and its headers may be fixed).
    if (c.res.status !== 101) c.res.headers.set("x-content-type-options", "nosniff");
  });
  // WebSocket upgrades are taken by the server before Hono (see `upgradeListener`).
  const notUpgraded = (c: Context) => c.text("this endpoint speaks WebSocket only", 426);
  app.get("/gateway", notUpgraded);
  app.get("/authenticated", notUpgraded);
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", (c) => {
    const state = gateway.ready();
    return c.json(state, state.ready ? 200 : 503);
  });
  if (metrics !== undefined) mountMetrics(app, metrics);
  app.onError((error, c) => {
    gateway.diagnostics.error("http handler failed", { path: c.req.path, error });
    return c.text("internal error", 500, { "x-content-type-options": "nosniff" });
  });
  return app;
}

/** `/metrics` alone, for its own port (`METRICS_PORT`), so it need not be public. */
export function metricsApp(metrics: Metrics): Hono {
  const app = new Hono();
  mountMetrics(app, metrics);
  return app;
}

/** `/metrics`, gzipped for a scraper that accepts it (Prometheus does): about a sixth of the text. */
function mountMetrics(app: Hono, metrics: Metrics): void {
  app.get("/metrics", async (c) => {
    const headers: Record<string, string> = {
      "content-type": metrics.contentType,
      "x-content-type-options": "nosniff",
      "vary": "accept-encoding",
    };
    const text = await metrics.text();
    if (!/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) return c.body(text, 200, headers);
    return c.body(new Uint8Array(gzipSync(text)), 200, { ...headers, "content-encoding": "gzip" });
  });
}
