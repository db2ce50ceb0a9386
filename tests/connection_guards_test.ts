/**
 * What guards a connection: malformed input, the size and rate limits, heartbeats, origins, tokens in URLs and the graceful shutdown.
 *
 * @module
 */
import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { startTestNode } from "./_helpers/node.ts";
import { waitFor } from "../testing/wait_for.ts";
import { AnyServerFrame } from "../gateway/protocol/mod.ts";

const users = dataset().demoUsers;
const DEMO_GUILD = dataset().guilds.find((g) => g.name === "Architus Demo")!.id;

Deno.test("malformed input gets typed errors and the connection stays usable", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    const bad: Array<[unknown, string]> = [
      ["{not json", "bad_frame"],
      ["[1,2,3]", "bad_frame"],
      ["42", "bad_frame"],
      ['"text"', "bad_frame"],
      ["null", "bad_frame"],
      [{ no_event: true }, "bad_frame"],
      [{ _event: 7 }, "bad_frame"],
      [{ _event: "launch_missiles", _seq: 9 }, "unknown_event"],
      [{ _event: "__proto__", _seq: 10 }, "unknown_event"],
      [{ _event: "constructor", _seq: 11 }, "unknown_event"],
      [{ _event: "spectate", _seq: 12 }, "invalid_payload"],
      [{ _event: "spectate", _seq: 13, guild_id: "abc" }, "invalid_payload"],
      [{ _event: "pool_request", _seq: 14, type: "member", ids: "1" }, "invalid_payload"],
      [{ _event: "pool_request", _seq: 15, type: "nope", ids: [] }, "invalid_payload"],
      [{ _event: "request_elevation", _seq: 16 }, "invalid_payload"],
      [
        { _event: "ping", _seq: 17, action: 3001, guildId: 10_000_000, messageId: 0 },
        "invalid_payload",
      ],
      [{ _event: "session", _seq: -1 }, "invalid_payload"],
    ];
    for (const [frame, error] of bad) {
      const from = c.frames.length;
      c.send(frame);
      // Pool requests end with a finished pool_response carrying the error; the rest with `error`.
      const answer = await c.next(
        (x) => x._event === "error" || (x._event === "pool_response" && x.error !== undefined),
        { from },
      );
      assert.ok(AnyServerFrame.safeParse(answer).success);
      const f = answer._event === "error" ? answer : answer.error as Record<string, unknown>;
      if (answer._event === "pool_response") assert.equal(answer.finished, true);
      assert.equal(f.error, error, `for ${JSON.stringify(frame)}`);
      assert.ok(
        typeof f.code === "number" && typeof f.message === "string" && typeof f.human === "string",
      );
      const seq = (frame as { _seq?: number })._seq;
      if (seq !== undefined && seq >= 0) {
        assert.equal(answer.seq, seq, "the answer carries the request seq");
      }
    }
    const from = c.frames.length;
    c.socket.send(new Uint8Array([1, 2, 3]));
    const binary = await c.next((x) => x._event === "error", { from });
    assert.equal(binary.error, "bad_frame");
    assert.equal((await c.ask({ _event: "session", _seq: 99 })).elevated, false, "still usable");
  });
});

Deno.test("a frame over the size limit closes with 1009; others are unaffected", async () => {
  await withNode({ MAX_FRAME_BYTES: "4096" }, async (node, clients) => {
    const big = await WsClient.connect(wsUrl(node));
    const other = await WsClient.connect(wsUrl(node));
    clients.push(big, other);
    big.send({ _event: "session", _seq: 1, pad: "é".repeat(2100) }); // 4200+ bytes, 2100 chars
    const closed = await big.closed;
    assert.equal(closed.code, 1009);
    assert.equal((await other.ask({ _event: "session", _seq: 1 }))._event, "session_return");
  });
});

Deno.test("rate limit answers with retry_after, then closes persistent abuse with 4008", async () => {
  await withNode(
    { RATE_LIMIT_BURST: "5", RATE_LIMIT_PER_SECOND: "1", RATE_LIMIT_STRIKES: "10" },
    async (node, clients) => {
      const c = await WsClient.connect(wsUrl(node));
      const other = await WsClient.connect(wsUrl(node));
      clients.push(c, other);
      for (let i = 0; i < 5; i++) c.send({ _event: "session", _seq: i });
      c.send({ _event: "session", _seq: 100 });
      const limited = await c.next((f) => f.error === "rate_limited");
      assert.equal(limited.code, 429);
      assert.ok(typeof limited.retry_after === "number" && limited.retry_after > 0);
      // Keep sending, one frame per answer, until the gateway gives up on this client.
      for (let i = 0; i < 20 && c.socket.readyState === WebSocket.OPEN; i++) {
        const from = c.frames.length;
        c.send({ _event: "session", _seq: 200 + i });
        await Promise.race([
          c.next((f) => f.error === "rate_limited", { from }).catch(() => {}),
          c.closed,
        ]);
      }
      const closed = await c.closed;
      assert.equal(closed.code, 4008);
      assert.equal((await other.ask({ _event: "session", _seq: 1 }))._event, "session_return");
      assert.ok(node.gateway.counters.rateLimited >= 10);
    },
  );
});

Deno.test("a peer that never answers heartbeats is dropped within two intervals", async () => {
  await withNode({ HEARTBEAT_SECONDS: "1" }, async (node) => {
    const conn = await Deno.connect({ hostname: node.url.hostname, port: Number(node.url.port) });
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await conn.write(new TextEncoder().encode(
      `GET /gateway HTTP/1.1\r\nHost: ${node.url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ));
    await waitFor(() => node.gateway.connections.size === 1, { message: "session opened" });
    const started = Date.now();
    // Read (and ignore) whatever arrives, never answering pings, until the server closes.
    const buf = new Uint8Array(1024);
    try {
      while ((await conn.read(buf)) !== null) { /* drain */ }
    } catch { /* reset by peer */ }
    conn.close();
    const took = Date.now() - started;
    await waitFor(() => node.gateway.connections.size === 0, { message: "session released" });
    assert.ok(took <= 2500, `dropped after ${took} ms`);
  });
});

Deno.test("origins: foreign refused even with a valid cookie, same-origin allowed in development", async () => {
  await withNode({}, async (node, clients) => {
    const cookie = `dev-token=${await tokenFor(users.member.id)}`;
    const httpUrl = new URL("/gateway", node.url);
    const foreign = await fetch(httpUrl, {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        origin: "https://evil.example",
        cookie,
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();
    const same = await WsClient.connect(wsUrl(node), { origin: `http://${node.url.host}`, cookie });
    const noOrigin = await WsClient.connect(wsUrl(node));
    clients.push(same, noOrigin);
    assert.equal((await same.ask({ _event: "session", _seq: 1 })).elevated, true);
  });
  await withNode(
    { GATEWAY_ENV: "production", ALLOWED_ORIGINS: "https://archit.us" },
    async (node, clients) => {
      const ok = await WsClient.connect(wsUrl(node), { origin: "https://archit.us" });
      clients.push(ok);
      const headers = {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      };
      const sameHost = await fetch(new URL("/gateway", node.url), {
        headers: { ...headers, origin: `http://${node.url.host}` },
      });
      assert.equal(sameHost.status, 403, "production allows only the list");
      await sameHost.body?.cancel();
    },
  );
});

Deno.test("a token in the URL is refused", async () => {
  await withNode({}, async (node) => {
    const r = await fetch(new URL(`/gateway?token=${await tokenFor(users.member.id)}`, node.url), {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
      },
    });
    assert.equal(r.status, 400);
    await r.body?.cancel();
  });
});

Deno.test("graceful shutdown tells clients to reconnect with 1012 and releases everything", async () => {
  const node = await startTestNode();
  const a = await WsClient.connect(wsUrl(node), {
    cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
  });
  const b = await WsClient.connect(wsUrl(node));
  await a.ask({ _event: "spectate", _seq: 1, guild_id: DEMO_GUILD, include_logs: true });
  const ready = await fetch(new URL("/readyz", node.url));
  assert.equal(ready.status, 200);
  await ready.body?.cancel();
  await node.shutdown(2000);
  assert.equal((await a.closed).code, 1012);
  assert.equal((await b.closed).code, 1012);
  assert.equal(node.gateway.connections.size, 0);
  assert.deepEqual(node.gateway.counts(), {
    unauthenticated: 0,
    authenticated: 0,
    users: 0,
    guilds: 0,
    spectators: 0,
    bindings: 0,
  });
});
