/**
 * Elevation: cookies, request tokens, refusals, expiry and sign-out.
 *
 * @module
 */
import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, TEST_SECRET, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMOTE_TOPIC, MemoryBroker, MemoryBus } from "../gateway/bus/mod.ts";
import { startTestNode } from "./_helpers/node.ts";
import { b64url, forgeJwt } from "../testing/forge_jwt.ts";

const users = dataset().demoUsers;
const DEMO_GUILD = dataset().guilds.find((g) => g.name === "Architus Demo")!.id;

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
    await nodeA.gateway.signOut(users.member.id);
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
