/**
 * Telemetry an operator can use: a node id on every log line and metric,
 * Prometheus names, build info, closes by code, refused upgrades, sign-outs,
 * bytes counted as bytes, opens and closes logged with the peer and code.
 *
 * @module
 */
import assert from "node:assert/strict";
import { waitFor } from "../testing/wait_for.ts";
import { captured, dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const MEMBER = dataset().demoUsers.member.id;

function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
      return Number(line.split(" ").at(-1));
    }
  }
  return NaN;
}

Deno.test("/metrics: node label, build info, process_* names, closes by code, refusals, sign-outs, bytes", async () => {
  await withNode({ NODE_ID: "node-7" }, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(MEMBER, { now: Date.now() - 1000 })}`,
    });
    clients.push(c);
    // An answer with non-ASCII text: more UTF-8 bytes than characters.
    const answer = await c.ask({
      _event: "interpret",
      _seq: 1,
      guild_id: 77,
      message_id: 2,
      content: '!poll "café ou crème?" café, crème',
      allowed_commands: ["poll"],
    });
    assert.equal(answer._event, "mock_bot_event");
    const refused = await fetch(new URL("/gateway", node.url), {
      headers: {
        origin: "https://evil.example",
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    await refused.body?.cancel();
    await node.gateway.signOut(MEMBER);
    await c.next((f) => f._event === "demoted");
    await c.close();
    await waitFor(() => node.gateway.connections.size === 0);
    const text = await (await fetch(new URL("/metrics", node.url))).text();
    assert.ok(
      sample(text, "gateway_build_info", { node: "node-7" }) === 1,
      "build info, node label",
    );
    assert.match(text, /gateway_build_info\{[^}]*version="[0-9.]+"[^}]*deno="/);
    assert.ok(sample(text, "process_resident_memory_bytes") > 0);
    assert.ok(sample(text, "process_cpu_seconds_total") > 0);
    assert.doesNotMatch(text, /^nodejs_/m, "no nodejs_* names");
    assert.equal(sample(text, "gateway_connections_closed_total", { code: "1000" }), 1);
    assert.equal(sample(text, "gateway_upgrades_refused_total", { reason: "origin" }), 1);
    assert.equal(sample(text, "gateway_sign_outs_total"), 1);
    assert.equal(sample(text, "gateway_signed_out_connections_total"), 1);
    const bytes = sample(text, "gateway_sent_bytes_total");
    assert.equal(bytes, node.gateway.traffic.bytesOut);
    const sent = c.frames.map((f) => JSON.stringify(f));
    const chars = sent.reduce((n, f) => n + f.length, 0);
    const utf8 = sent.reduce((n, f) => n + new TextEncoder().encode(f).length, 0);
    assert.ok(utf8 > chars, `the answer has non-ASCII text: ${sent.join(" ")}`);
    assert.equal(bytes, utf8, "bytes are UTF-8 bytes, not characters");
    for (const line of text.split("\n")) {
      if (line.startsWith("#") || line.trim() === "") continue;
      assert.match(line, /node="node-7"/, `every metric carries the node: ${line.slice(0, 80)}`);
    }
  });
});

Deno.test("opens and closes are logged at info with the node, the peer and the close code", async () => {
  await withNode({ NODE_ID: "node-8", LOG_LEVEL: "info" }, async (node) => {
    const from = captured.length;
    const c = await WsClient.connect(wsUrl(node));
    await c.close();
    await waitFor(() => captured.slice(from).some((l) => l.includes("connection closed")));
    const lines = captured.slice(from).map((l) => JSON.parse(l));
    const opened = lines.find((l) => l.msg === "connection opened")!;
    const closed = lines.find((l) => l.msg === "connection closed")!;
    assert.equal(opened.level, "info");
    assert.equal(opened.peer, "127.0.0.1");
    assert.equal(closed.code, 1000);
    assert.equal(closed.peer, "127.0.0.1");
    assert.ok(lines.every((l) => l.node === "node-8"), "every line names the node");
  });
});
