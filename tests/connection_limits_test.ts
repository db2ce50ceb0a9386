/**
 * How many connections a node takes and how long an idle one stays, each
 * limit with its documented status or close code; every response nosniff;
 * `/metrics` on its own port when asked.
 *
 * @module
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { CloseCode } from "../gateway/protocol/mod.ts";
import { captured, dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { WsClient } from "./_helpers/ws_client.ts";
import { recordFigures } from "./_helpers/figures.ts";

const MEMBER = dataset().demoUsers.member.id;

Deno.test("connections past the per-address cap are closed with 4529; the node cap answers 503", async () => {
  await withNode({ MAX_CONNECTIONS_PER_IP: "3", MAX_CONNECTIONS: "5" }, async (node, clients) => {
    for (let i = 0; i < 3; i++) clients.push(await WsClient.connect(wsUrl(node)));
    const fourth = await WsClient.connect(wsUrl(node));
    clients.push(fourth);
    const closed = await fourth.closed;
    assert.equal(closed.code, CloseCode.connectionLimit);
    assert.equal(node.gateway.connections.size, 3, "the refused one was never opened");
    assert.equal(
      (await clients[0]!.ask({ _event: "session", _seq: 1 }))._event,
      "session_return",
      "the admitted ones are untouched",
    );
  });
  await withNode({
    MAX_CONNECTIONS_PER_IP: "100",
    MAX_CONNECTIONS: "3",
  }, async (node, clients) => {
    for (let i = 0; i < 3; i++) clients.push(await WsClient.connect(wsUrl(node)));
    const url = new URL("/gateway", node.url);
    const refused = await fetch(url, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    await refused.body?.cancel();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "5");
  });
});

Deno.test("a trusted proxy header decides the address the cap counts", async () => {
  await withNode({
    MAX_CONNECTIONS_PER_IP: "1",
    TRUSTED_PROXY_HEADER: "x-forwarded-for",
  }, async (node, clients) => {
    const a = await WsClient.connect(wsUrl(node), { "x-forwarded-for": "203.0.113.1" });
    const b = await WsClient.connect(wsUrl(node), { "x-forwarded-for": "203.0.113.2" });
    const c = await WsClient.connect(wsUrl(node), { "x-forwarded-for": "6.6.6.6, 203.0.113.1" });
    clients.push(a, b, c);
    assert.equal((await c.closed).code, CloseCode.connectionLimit, "the last hop is counted");
    assert.equal(node.gateway.connections.size, 2);
  });
});

Deno.test("a connection that never elevates nor asks anything is closed idle (4011); an active one stays", async () => {
  await withNode({ IDLE_TIMEOUT_SECONDS: "1" }, async (node, clients) => {
    const idle = await WsClient.connect(wsUrl(node));
    const asking = await WsClient.connect(wsUrl(node));
    const elevated = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(MEMBER)}`,
    });
    clients.push(idle, asking, elevated);
    await asking.ask({ _event: "session", _seq: 1 });
    const started = Date.now();
    assert.equal((await idle.closed).code, CloseCode.idleTimeout);
    assert.ok(Date.now() - started < 2000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(asking.socket.readyState, WebSocket.OPEN);
    assert.equal(elevated.socket.readyState, WebSocket.OPEN);
  });
});

Deno.test("a malformed upgrade gets 400, not 500, and no error line", async () => {
  await withNode({}, async (node) => {
    const url = new URL("/gateway", node.url);
    const from = captured.length;
    // An upgrade without a key or version.
    const response = await fetch(url, { headers: { upgrade: "websocket", connection: "Upgrade" } });
    await response.body?.cancel();
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    const errors = captured.slice(from).filter((line) => JSON.parse(line).level === "error");
    assert.deepEqual(errors, []);
  });
});

Deno.test("every response says nosniff; METRICS_PORT (on METRICS_HOST) serves /metrics apart from the public port", async () => {
  await withNode({ METRICS_PORT: "0", METRICS_HOST: "127.0.0.2" }, async (node) => {
    for (const path of ["/healthz", "/readyz", "/nope", "/gateway"]) {
      const r = await fetch(new URL(path, node.url));
      await r.body?.cancel();
      assert.equal(r.headers.get("x-content-type-options"), "nosniff", path);
    }
    const hidden = await fetch(new URL("/metrics", node.url));
    await hidden.body?.cancel();
    assert.equal(hidden.status, 404, "not on the public port");
    assert.ok(node.metricsUrl !== undefined);
    assert.equal(node.metricsUrl!.hostname, "127.0.0.2", "on METRICS_HOST, apart from HOST");
    const metrics = await fetch(node.metricsUrl!, { headers: { "accept-encoding": "identity" } });
    assert.equal(metrics.status, 200);
    const plain = await metrics.text();
    assert.match(plain, /gateway_connections/);
    // A scraper that accepts gzip gets it.
    const zipped = await fetch(node.metricsUrl!, { headers: { "accept-encoding": "gzip" } });
    assert.equal(zipped.headers.get("content-encoding"), "gzip");
    const raw = new Uint8Array(await zipped.arrayBuffer());
    const text = raw[0] === 0x1f ? gunzipSync(raw).toString() : new TextDecoder().decode(raw);
    assert.match(text, /gateway_connections/);
  });
});

Deno.test("a client that stays just over the rate (16 frames a second) is closed with 4008", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    const started = Date.now();
    let seq = 0;
    const sending = setInterval(() => {
      if (c.socket.readyState === WebSocket.OPEN) c.send({ _event: "session", _seq: ++seq });
    }, 1000 / 16);
    try {
      const closed = await c.closed;
      const took = Date.now() - started;
      assert.equal(closed.code, 4008);
      // Over the burst of 120 at 14 frames a second beyond the 2 allowed, then 20 strikes.
      assert.ok(took < 15_000, `closed after ${took} ms`);
      await recordFigures("sustained_rate", { closedAfterMs: took, frames: seq });
    } finally {
      clearInterval(sending);
    }
  });
});
