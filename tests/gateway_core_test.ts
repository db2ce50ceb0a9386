import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, TEST_SECRET, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMOTE_TOPIC, MemoryBroker, MemoryBus } from "../gateway/bus/mod.ts";
import { startTestNode } from "./_helpers/node.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { AnyServerFrame } from "../gateway/protocol/mod.ts";
import { b64url, forgeJwt } from "./_helpers/forge_jwt.ts";

const users = dataset().demoUsers;
const DEMO_GUILD = dataset().guilds.find((g) => g.name === "Architus Demo")!.id;
const LOUNGE = dataset().guilds.find((g) => g.name === "Gaming Lounge")!.id;

Deno.test("anonymous connection starts unauthenticated", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    const s = await c.ask({ _event: "session", _seq: 1 });
    assert.equal(s._event, "session_return");
    assert.equal(s.elevated, false);
    assert.equal(s.user_id, null);
    assert.equal(node.gateway.counts().unauthenticated, 1);
  });
});

Deno.test("request_elevation elevates and keeps a large id exact", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    // 700794554307317769 is not a double: as a JS number it would become ...800.
    assert.notEqual(String(Number(users.member.id)), users.member.id);
    const token = await tokenFor(users.member.id);
    const payload = atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"));
    assert.ok(payload.includes(`"id":${users.member.id}`), "the claim is a bare JSON number");
    const r = await c.ask({ _event: "request_elevation", _seq: 1, token });
    assert.equal(r._event, "elevation_return");
    assert.equal(r.result, true);
    assert.equal(r.user_id, users.member.id);
    assert.equal(node.gateway.counts().authenticated, 1);
    assert.equal(node.gateway.connections.ofUser(users.member.id).length, 1);
    const s = await c.ask({ _event: "session", _seq: 2 });
    assert.equal(s.user_id, users.member.id);
  });
});

Deno.test("the dev-token cookie elevates from the start; an invalid one does not", async () => {
  await withNode({}, async (node, clients) => {
    const good = await WsClient.connect(wsUrl(node, "/authenticated"), {
      cookie: `other=1; dev-token=${await tokenFor(users.member.id)}`,
    });
    const bad = await WsClient.connect(wsUrl(node), { cookie: "dev-token=not.a.token" });
    clients.push(good, bad);
    const s = await good.ask({ _event: "session", _seq: 1 });
    assert.equal(s.elevated, true);
    assert.equal(s.user_id, users.member.id);
    assert.equal((await bad.ask({ _event: "session", _seq: 1 })).elevated, false);
  });
});

Deno.test("production reads the `token` cookie, not `dev-token`", async () => {
  await withNode(
    { GATEWAY_ENV: "production", ALLOWED_ORIGINS: "https://archit.us" },
    async (node, clients) => {
      const t = await tokenFor(users.member.id);
      const prod = await WsClient.connect(wsUrl(node), { cookie: `token=${t}` });
      const dev = await WsClient.connect(wsUrl(node), { cookie: `dev-token=${t}` });
      clients.push(prod, dev);
      assert.equal((await prod.ask({ _event: "session", _seq: 1 })).elevated, true);
      assert.equal((await dev.ask({ _event: "session", _seq: 1 })).elevated, false);
    },
  );
});

Deno.test("refused tokens never elevate: expired, none, wrong secret, tampered, no expiry, not yet valid", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    const good = await tokenFor(users.member.id);
    const [h, p, s] = good.split(".") as [string, string, string];
    const payload = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string> = {
      expired: await tokenFor(users.member.id, { ttlSeconds: 60, now: Date.now() - 3_600_000 }),
      none: `${b64url('{"alg":"none","typ":"JWT"}')}.${p}.`,
      noneSigned: `${b64url('{"alg":"none","typ":"JWT"}')}.${p}.${s}`,
      wrongSecret: await tokenFor(users.member.id, { secret: "another-secret" }),
      tampered: `${h}.${b64url(JSON.stringify({ ...payload, permissions: 65535 }))}.${s}`,
      reSignedWrong: await forgeJwt(
        { alg: "HS256" },
        `{"id":${users.staff.id},"exp":${now + 60}}`,
        "x",
      ),
      noExpiry: await forgeJwt(
        { alg: "HS256", typ: "JWT" },
        `{"id":${users.member.id}}`,
        TEST_SECRET,
      ),
      hs512: await forgeJwt(
        { alg: "HS512", typ: "JWT" },
        `{"id":1,"exp":${now + 60}}`,
        TEST_SECRET,
      ),
      rs256: await forgeJwt(
        { alg: "RS256", typ: "JWT" },
        `{"id":1,"exp":${now + 60}}`,
        TEST_SECRET,
      ),
      notYetValid: await forgeJwt(
        { alg: "HS256" },
        `{"sub":"1","exp":${now + 600},"nbf":${now + 300}}`,
        TEST_SECRET,
      ),
      garbage: "x".repeat(50),
      oversize: `${h}.${b64url("a".repeat(9000))}.${s}`,
    };
    let seq = 1;
    for (const [name, token] of Object.entries(cases)) {
      const r = await c.ask({
        _event: "request_elevation",
        _seq: seq++,
        token: token.slice(0, 8192),
      });
      assert.equal(r.result, false, `${name} must not elevate`);
      assert.ok(!String(r.message).includes(token.slice(0, 20)), "no token in the answer");
    }
    assert.equal((await c.ask({ _event: "session", _seq: seq++ })).elevated, false);
    assert.equal(
      (await c.ask({ _event: "request_elevation", _seq: seq, token: good })).result,
      true,
    );
  });
});

Deno.test("expiry mid-connection demotes with a push; request_elevation re-elevates", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.architusAdmin.id, { ttlSeconds: 1 })}`,
    });
    clients.push(c);
    const sp = await c.ask({ _event: "spectate", _seq: 1, guild_id: DEMO_GUILD });
    assert.equal(sp._event, "spectate_return");
    const demoted = await c.next((f) => f._event === "demoted", { timeoutMs: 3000 });
    assert.equal(demoted.reason, "expired");
    const s = await c.ask({ _event: "session", _seq: 2 });
    assert.equal(s.elevated, false);
    assert.equal(s.spectating, null, "demotion leaves the guild");
    assert.equal(node.gateway.counts().spectators, 0);
    const pool = await c.ask({
      _event: "pool_all_request",
      _seq: 3,
      type: "channel",
      guild_id: DEMO_GUILD,
    });
    assert.equal((pool.error as { error: string }).error, "not_authenticated");
    const r = await c.ask({
      _event: "request_elevation",
      _seq: 4,
      token: await tokenFor(users.architusAdmin.id),
    });
    assert.equal(r.result, true);
    assert.equal((await c.ask({ _event: "session", _seq: 5 })).elevated, true);
  });
});

Deno.test("per-request tokens: same user passes, another user is a mismatch, unelevated gets one request", async () => {
  await withNode({}, async (node, clients) => {
    const elevated = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.member.id)}`,
    });
    const anon = await WsClient.connect(wsUrl(node));
    clients.push(elevated, anon);
    const mine = await tokenFor(users.member.id);
    const theirs = await tokenFor(users.architusAdmin.id);
    const ok = await elevated.ask({
      _event: "pool_all_request",
      _seq: 1,
      type: "channel",
      guild_id: DEMO_GUILD,
      token: mine,
    });
    assert.equal(ok.error, undefined);
    assert.ok((ok.data as unknown[]).length > 0);
    const mismatch = await elevated.ask({
      _event: "pool_all_request",
      _seq: 2,
      type: "channel",
      guild_id: DEMO_GUILD,
      token: theirs,
    });
    assert.equal((mismatch.error as { error: string }).error, "token_mismatch");
    const spectateMismatch = await elevated.ask({
      _event: "spectate",
      _seq: 3,
      guild_id: DEMO_GUILD,
      token: theirs,
    });
    assert.equal(spectateMismatch.error, "token_mismatch");
    assert.equal(
      (await elevated.ask({ _event: "session", _seq: 4 })).user_id,
      users.member.id,
      "identity unchanged",
    );
    const once = await anon.ask({
      _event: "pool_all_request",
      _seq: 1,
      type: "channel",
      guild_id: DEMO_GUILD,
      token: mine,
    });
    assert.equal(once.error, undefined);
    const after = await anon.ask({
      _event: "pool_all_request",
      _seq: 2,
      type: "channel",
      guild_id: DEMO_GUILD,
    });
    assert.equal((after.error as { error: string }).error, "not_authenticated");
    const badToken = await anon.ask({
      _event: "pool_all_request",
      _seq: 3,
      type: "channel",
      guild_id: DEMO_GUILD,
      token: "a.b.c",
    });
    assert.equal((badToken.error as { error: string }).error, "invalid_token");
  });
});

Deno.test("spectate switches guilds, leaving the previous one and its bindings", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
    });
    clients.push(c);
    const study = dataset().guilds.find((g) => g.name === "Study Hall")!.id;
    const first = await c.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(first.tier, "architus_admin");
    assert.deepEqual(first.categories, ["pool", "log.public", "log.private"]);
    assert.equal(first.logs, "granted");
    assert.deepEqual([...node.gateway.streams.rooms.bindings.held.keys()].sort(), [
      `guild.${DEMO_GUILD}.log.private`,
      `guild.${DEMO_GUILD}.log.public`,
      `guild.${DEMO_GUILD}.pool`,
    ]);
    const second = await c.ask({ _event: "spectate", _seq: 2, guild_id: study });
    assert.equal(second.tier, "member");
    assert.deepEqual(second.categories, ["pool"]);
    assert.equal(second.logs, "not_requested");
    assert.deepEqual([...node.gateway.streams.rooms.bindings.held.keys()], [`guild.${study}.pool`]);
    // An update in the old guild no longer arrives; one in the new guild does.
    await node.bus.publish(
      `guild.${DEMO_GUILD}.pool`,
      JSON.stringify({ type: "channel", action: "remove", id: "1" }),
    );
    await node.bus.publish(
      `guild.${study}.pool`,
      JSON.stringify({ type: "channel", action: "remove", id: "2" }),
    );
    const push = await c.next((f) => f._event === "log_pool");
    assert.equal(push.guild_id, study);
    await sleep(50);
    assert.equal(c.received((f) => f._event === "log_pool").length, 1);
    const none = await c.ask({ _event: "spectate", _seq: 3, guild_id: null });
    assert.equal(none.guild_id, null);
    assert.equal(node.gateway.streams.rooms.bindings.held.size, 0);
  });
});

Deno.test("spectate is refused to a non-member and to anonymous, allowed to staff anywhere", async () => {
  await withNode({}, async (node, clients) => {
    const outsider = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.nonMember.id)}`,
    });
    const staff = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.staff.id)}`,
    });
    const anon = await WsClient.connect(wsUrl(node));
    clients.push(outsider, staff, anon);
    const refused = await outsider.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(refused._event, "error");
    assert.equal(refused.error, "not_a_member");
    assert.equal(refused.code, 403);
    const lounge = await outsider.ask({ _event: "spectate", _seq: 2, guild_id: LOUNGE });
    assert.equal(lounge._event, "spectate_return");
    const staffOk = await staff.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(staffOk.tier, "architus_staff");
    assert.deepEqual(staffOk.categories, ["pool", "log.public", "log.private"]);
    const anonRefused = await anon.ask({ _event: "spectate", _seq: 1, guild_id: DEMO_GUILD });
    assert.equal(anonRefused.error, "not_authenticated");
    const anonLeave = await anon.ask({ _event: "spectate", _seq: 2, guild_id: null });
    assert.equal(anonLeave._event, "spectate_return", "leaving needs no identity");
  });
});

Deno.test("log categories follow permissions: member public only, discord admin public only", async () => {
  await withNode({}, async (node, clients) => {
    const member = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.member.id)}`,
    });
    const mod = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.discordAdmin.id)}`,
    });
    clients.push(member, mod);
    const m = await member.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(m.tier, "member");
    assert.deepEqual(m.categories, ["pool", "log.public"]);
    const d = await mod.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(d.tier, "discord_admin");
    assert.deepEqual(d.categories, ["pool", "log.public"]);
  });
});

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

Deno.test("a sign-out on the bus demotes the user's connections on every node", async () => {
  const broker = new MemoryBroker();
  const nodeA = await startTestNode({}, { bus: new MemoryBus(broker) });
  const nodeB = await startTestNode({}, { bus: new MemoryBus(broker), embeddedBackend: false });
  const cookie = `dev-token=${await tokenFor(users.member.id)}`;
  const onA = await WsClient.connect(wsUrl(nodeA), { cookie });
  const onB = await WsClient.connect(wsUrl(nodeB), { cookie });
  const bystander = await WsClient.connect(wsUrl(nodeB), {
    cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
  });
  try {
    await onB.ask({ _event: "spectate", _seq: 1, guild_id: DEMO_GUILD }, 5000);
    await nodeA.gateway.publishDemote(users.member.id);
    assert.equal((await onA.next((f) => f._event === "demoted")).reason, "signed_out");
    assert.equal((await onB.next((f) => f._event === "demoted")).reason, "signed_out");
    assert.equal((await onB.ask({ _event: "session", _seq: 2 })).elevated, false);
    assert.equal((await bystander.ask({ _event: "session", _seq: 1 })).elevated, true);
    // Any backend service can do it with a plain bus message.
    await nodeA.bus.publish(DEMOTE_TOPIC, JSON.stringify({ user_id: users.architusAdmin.id }));
    await bystander.next((f) => f._event === "demoted");
  } finally {
    await Promise.all([onA.close(), onB.close(), bystander.close()]);
    await nodeB.shutdown(1000);
    await nodeA.shutdown(1000);
  }
});
