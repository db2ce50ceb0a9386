/**
 * PoolCache and typed pools against a REAL gateway node: loading once,
 * following pushes, search with a limit, reloads after reconnects.
 */
import assert from "node:assert/strict";
import { type Member, PoolCache, type PoolSnapshot, type ServerFrameOf } from "../client/mod.ts";
import { dataset, startTestNode } from "./_helpers/node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import {
  newClient,
  onlySession,
  restoredSession,
  tapSocket,
  tokenOf,
} from "./_helpers/client_kit.ts";

const users = dataset().demoUsers;
const MEMBER = users.member.id;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const BIG = DEMO_GUILD_IDS.bigGuild;

Deno.test("client: PoolCache loads a pool once and follows log_pool pushes without new requests", async () => {
  const node = await startTestNode();
  const tap = tapSocket();
  const client = newClient(node, { token: tokenOf(MEMBER), WebSocket: tap.WebSocket });
  const cache = new PoolCache();
  const detach = cache.attach(client);
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    const members = await cache.all("member", DEMO);
    const expected = dataset().guild(DEMO)!.members.map((m) => m.id);
    assert.deepEqual(members.map((m) => m.id), expected);
    assert.equal(cache.snapshot("member", DEMO).fullyPopulated, true);
    const sentBefore = tap.sent.length;

    const pushes: Array<ServerFrameOf<"log_pool">> = [];
    client.on("log_pool", (frame) => pushes.push(frame));
    await node.poolTraffic!.step();
    await waitFor(() => pushes.length > 0, { message: "a log_pool push" });
    const added = pushes[0]!;
    assert.equal(added.action, "add");
    assert.equal(added.type, "member");
    assert.ok(!expected.includes(added.id), "a new member");

    const entity = cache.entity("member", DEMO, added.id);
    assert.ok(entity, "the cache holds the new member");
    assert.equal(entity.id, added.id);
    assert.equal(entity.name, (added.entity as { name: string }).name);
    assert.equal(cache.entity("user", null, added.id)?.username, entity.name, "user pool too");
    const again = await cache.all("member", DEMO);
    assert.equal(again.length, expected.length + 1);
    const lookup = await cache.get("member", DEMO, [added.id, expected[0]!]);
    assert.deepEqual(lookup.entities.map((m) => m.id), [added.id, expected[0]]);

    // The next pushes: an auto response (another pool), then the visitor leaves.
    await node.poolTraffic!.step();
    await node.poolTraffic!.step();
    await waitFor(() => pushes.some((p) => p.action === "remove"), { message: "a remove push" });
    const removed = pushes.find((p) => p.action === "remove")!;
    assert.equal(removed.id, added.id, "the visitor left");
    assert.equal(cache.entity("member", DEMO, added.id), undefined);
    assert.ok(cache.snapshot("member", DEMO).nonexistent.has(added.id));
    assert.deepEqual((await cache.all("member", DEMO)).map((m) => m.id), expected);
    assert.equal(tap.sent.length, sentBefore, "no frame was sent after the pool was loaded");
  } finally {
    detach();
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: a full reload after a reconnect drops entities removed while disconnected", async () => {
  const node = await startTestNode();
  const tap = tapSocket();
  const client = newClient(node, { token: tokenOf(MEMBER), WebSocket: tap.WebSocket });
  const cache = new PoolCache();
  const detach = cache.attach(client);
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    await node.poolTraffic!.step(); // a visitor joins
    const before = await cache.all("member", DEMO);
    const visitor = before.find((m) => m.name.startsWith("visitor-"));
    assert.ok(visitor, "the visitor is loaded");
    // The visitor's removal push is lost: swallow everything while it happens.
    tap.filter = (f) => f._event !== "log_pool";
    await node.poolTraffic!.step();
    await node.poolTraffic!.step(); // the visitor leaves
    await sleep(200); // the push reaches the client's socket (and is swallowed)
    tap.filter = undefined;
    const old = onlySession(node);
    old.transport.close(4009, "test");
    await restoredSession(node, MEMBER, DEMO, old);
    await client.ready();
    const after = await cache.all("member", DEMO);
    assert.equal(after.some((m) => m.id === visitor.id), false, "the stale visitor is gone");
    assert.equal(after.length, dataset().guild(DEMO)!.members.length);
  } finally {
    detach();
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: pool answers are typed by pool, and PoolCache searches with a limit", async () => {
  const node = await startTestNode({}, { bigGuild: true });
  const client = newClient(node, { token: tokenOf(MEMBER) });
  const cache = new PoolCache({ client });
  try {
    client.connect();
    await client.ready();
    // No casts: the pool's type decides the entity type.
    const roles = await client.request("pool_all_request", { type: "role", guild_id: DEMO });
    assert.ok(roles.data.every((role) => typeof role.hoist === "boolean"));
    const found = await client.request("pool_search", {
      type: "member",
      guild_id: BIG,
      query: "a",
      limit: 3,
    });
    assert.ok(found.data.every((m) => typeof m.joined_at === "string"));

    const members = await cache.search(BIG, "A", { limit: 5 });
    assert.ok(members.length > 0 && members.length <= 5, `${members.length} members`);
    for (const member of members) {
      const names = [member.name, member.nick ?? ""].map((n) => n.toLowerCase());
      assert.ok(names.some((n) => n.startsWith("a")), `${member.name} matches`);
      assert.equal(cache.entity("member", BIG, member.id)?.id, member.id, "cached");
    }
    const firstTwo = await cache.all("channel", DEMO, { limit: 2 });
    assert.equal(firstTwo.length, 2);
    assert.equal(cache.snapshot("channel", DEMO).fullyPopulated, true);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: a watched pool is reloaded whole after a reconnect, without asking", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(MEMBER) });
  const cache = new PoolCache({ client });
  const snapshots: PoolSnapshot<Member>[] = [];
  const stop = cache.watch("member", DEMO, (snapshot) => snapshots.push(snapshot));
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    await cache.all("member", DEMO);
    assert.equal(snapshots.at(-1)?.fullyPopulated, true);
    const old = onlySession(node);
    old.transport.close(4009, "test");
    await waitFor(() => snapshots.at(-1)?.fullyPopulated === false);
    await restoredSession(node, MEMBER, DEMO, old);
    await waitFor(() => snapshots.at(-1)?.fullyPopulated === true, {
      message: "reloaded by the cache itself",
    });
    assert.equal(snapshots.at(-1)!.entities.size, dataset().guild(DEMO)!.members.length);
  } finally {
    stop();
    await client.close();
    await node.shutdown(1000);
  }
});
