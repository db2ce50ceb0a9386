/**
 * How requests fail, against a REAL gateway node: typed errors, refused
 * elevations and spectates, rate limits, the in-flight limit, backend
 * deadlines and the abuse close, and the opt-in retry of safe requests.
 */
import assert from "node:assert/strict";
import { GatewayRequestError } from "../client/mod.ts";
import { dataset, startTestNode } from "./_helpers/node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import {
  newClient,
  onlySession,
  recordStates,
  rejection,
  restoredSession,
  startSlowNode,
  tapSocket,
  tokenOf,
} from "./_helpers/client_kit.ts";

const users = dataset().demoUsers;
const MEMBER = users.member.id;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const LOUNGE = DEMO_GUILD_IDS.gamingLounge;

Deno.test("client: a refused guild pool rejects with a typed GatewayRequestError", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(users.nonMember.id) });
  try {
    client.connect();
    await client.ready();
    assert.equal(client.userId, users.nonMember.id);
    let seq = -1;
    const error = await rejection(
      client.request("pool_request", { type: "member", guild_id: DEMO, ids: ["1", "2"] }, {
        onSeq: (s) => seq = s,
      }),
    );
    assert.ok(error instanceof Error);
    assert.equal(error.name, "GatewayRequestError");
    assert.equal(error.error, "not_a_member");
    assert.equal(error.code, 403);
    assert.equal(typeof error.human, "string");
    assert.ok(error.human.length > 0, "a human message");
    assert.ok(error.message.length > 0);
    assert.equal(error.seq, seq);
    // The refusal does not hurt the connection.
    assert.equal(client.state, "open");
    const spectate = await rejection(client.spectate(DEMO));
    assert.equal(spectate.error, "not_a_member");
    assert.equal(client.spectating, null, "a refused guild is not restored later");
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: elevate() rejects with invalid_token when the gateway refuses the token", async () => {
  const node = await startTestNode();
  const client = newClient(node);
  try {
    client.connect();
    await client.ready();
    const error = await rejection(client.elevate("not-a-jwt"));
    assert.equal(error.error, "invalid_token");
    assert.equal(error.code, 401);
    assert.match(error.message, /invalid jwt/);
    assert.equal(client.elevated, false);
    assert.equal(client.state, "open");
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: a refused spectate of another guild keeps the current one, on both sides", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(MEMBER) });
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    const refused = await rejection(client.spectate(LOUNGE));
    assert.equal(refused.error, "not_a_member");
    assert.deepEqual(client.spectating, { guildId: DEMO, includeLogs: false });
    assert.equal(client.subscription?.guildId, DEMO);
    assert.equal(onlySession(node).spectating?.guildId, DEMO, "the server kept it too");
    // An unknown guild is refused like one the user is not in: the shards answer both alike,
    // and telling them apart would tell anyone which guilds have Architus.
    const unknown = await rejection(client.spectate("1"));
    assert.equal(unknown.error, "not_a_member", "an unknown guild is not_a_member");
    assert.equal(unknown.code, 403);
    assert.deepEqual(client.spectating, { guildId: DEMO, includeLogs: false });
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: a rate-limited request fails at once with its seq and retryAfter, or retries when asked", async () => {
  const node = await startTestNode({
    RATE_LIMIT_BURST: "3",
    RATE_LIMIT_PER_SECOND: "4",
    RATE_LIMIT_STRIKES: "50",
  });
  const client = newClient(node, { token: tokenOf(MEMBER) });
  try {
    client.connect();
    await client.ready();
    await sleep(1_000); // the bucket refills after the restoring requests
    const started = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => client.request("session", {})),
    );
    assert.ok(performance.now() - started < 1_000, "refusals arrive at once, not at the deadline");
    const refused = outcomes.filter((o) => o.status === "rejected")
      .map((o) => (o as PromiseRejectedResult).reason as GatewayRequestError);
    assert.ok(refused.length >= 2, `some were refused: ${refused.length}`);
    for (const error of refused) {
      assert.equal(error.error, "rate_limited");
      assert.equal(error.code, 429);
      assert.equal(typeof error.seq, "number");
      assert.ok((error.retryAfter ?? 0) > 0, "retryAfter is surfaced");
      assert.equal(error.details?.retry_after, error.retryAfter);
      assert.equal(error.retryable, true);
    }
    await sleep(1_500);
    const retried = await Promise.all(
      Array.from({ length: 6 }, () => client.request("session", {}, { retry: { attempts: 5 } })),
    );
    assert.equal(retried.length, 6, "every safe request got through with retries");
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: requests past the in-flight limit are refused busy, and retry when asked", async () => {
  const slow = await startSlowNode(400, { MAX_IN_FLIGHT: "8" });
  const client = newClient(slow.node, { token: tokenOf(MEMBER) });
  try {
    client.connect();
    await client.ready();
    const ask = (options = {}) =>
      client.request("pool_all_request", { type: "channel", guild_id: DEMO }, options);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => ask()));
    const busy = outcomes.filter((o) => o.status === "rejected")
      .map((o) => (o as PromiseRejectedResult).reason as GatewayRequestError);
    assert.equal(busy.length, 2, "8 in flight at most");
    for (const error of busy) {
      assert.equal(error.error, "busy");
      assert.equal(error.code, 429);
      assert.equal(typeof error.seq, "number");
    }
    const retried = await Promise.all(Array.from({ length: 10 }, () => ask({ retry: true })));
    assert.ok(retried.every((r) => r.data.length > 0));
  } finally {
    await client.close();
    await slow.stop();
  }
});

Deno.test("client: a backend past its deadline fails backend_timeout; retry tries again, bounded", async () => {
  const slow = await startSlowNode(1_000, { BACKEND_TIMEOUT_MS: "200" });
  const tap = tapSocket();
  const client = newClient(slow.node, { token: tokenOf(MEMBER), WebSocket: tap.WebSocket });
  try {
    client.connect();
    await client.ready();
    const started = performance.now();
    let seq = -1;
    const error = await rejection(
      client.request("pool_all_request", { type: "member", guild_id: DEMO }, {
        onSeq: (s) => seq = s,
        retry: { attempts: 1, maxDelayMs: 100 },
      }),
    );
    assert.equal(error.error, "backend_timeout");
    assert.equal(error.code, 504);
    assert.ok(performance.now() - started < 2_500);
    assert.equal(tap.sent.filter((f) => f._seq === seq).length, 2, "one retry, then the failure");
    const unsafe = await rejection(
      client.request("interpret", { guild_id: 1, message_id: 2, content: "hi" }, { retry: true }),
    ).catch(() => null);
    void unsafe; // interpret is answered (no backend); it is never retried either way
  } finally {
    await client.close();
    await slow.stop();
  }
});

Deno.test("client: sustained rate-limit abuse ends in close 4008, and the client pauses before reconnecting", async () => {
  const node = await startTestNode({
    RATE_LIMIT_BURST: "3",
    RATE_LIMIT_PER_SECOND: "1",
    RATE_LIMIT_STRIKES: "3",
  });
  const client = newClient(node, { token: tokenOf(MEMBER) });
  const states = recordStates(client);
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    const first = onlySession(node);
    const ping = { action: 3001, guildId: 3, messageId: 0, content: "!help" };
    for (let i = 0; i < 10; i++) client.send("ping", { ...ping, messageId: i * 2 });
    await waitFor(() => states.some(([s, d]) => s === "reconnecting" && d.code === 4008));
    const [, detail] = states.find(([s, d]) => s === "reconnecting" && d.code === 4008)!;
    assert.ok((detail.delayMs ?? 0) >= 1_000, `paused ${detail.delayMs} ms`);
    await restoredSession(node, MEMBER, DEMO, first);
    await client.ready();
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});
