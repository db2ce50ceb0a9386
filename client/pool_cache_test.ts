import assert from "node:assert/strict";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { type FakeConnection, type Frame, startFakeGateway } from "./_fake_gateway_test.ts";
import { GatewayClient } from "./gateway_client.ts";
import { PoolCache } from "./pool_cache.ts";
import { canonicalPoolType, type PoolChange } from "./pool_state.ts";

const member = (id: string, name: string, avatar: string | null = null) => ({
  id,
  name,
  nick: null,
  avatar,
  discriminator: "0420",
  roles: [],
  color: null,
  joined_at: "2021-05-01T00:00:00Z",
});

/** A gateway that knows members 1 and 2 of guild 7 and the channels of guild 7. */
function poolGateway(): ReturnType<typeof startFakeGateway> {
  const members = new Map([["1", member("1", "ann", "a1")], ["2", member("2", "bob")]]);
  return startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event === "pool_request") {
        const ids = frame.ids as string[];
        conn.send({
          _event: "pool_response",
          seq: frame._seq,
          finished: true,
          data: ids.filter((id) => members.has(id)).map((id) => members.get(id)),
          nonexistent: ids.filter((id) => !members.has(id)),
        });
      } else if (frame._event === "pool_all_request") {
        const chunk = (data: unknown[], finished: boolean) => ({
          _event: "pool_response",
          seq: frame._seq,
          finished,
          data,
          nonexistent: [],
        });
        conn.send(chunk([{ id: "30", name: "general" }], false));
        conn.send(chunk([{ id: "31", name: "random" }], true));
      }
    },
  });
}

async function withClient(
  fn: (
    client: GatewayClient,
    conn: FakeConnection,
    gw: ReturnType<typeof startFakeGateway>,
  ) => Promise<void>,
): Promise<void> {
  const gw = poolGateway();
  const client = new GatewayClient({ url: gw.url, random: () => 0, backoff: { baseMs: 5 } });
  try {
    client.connect();
    await client.ready();
    await fn(client, await gw.connection(0), gw);
  } finally {
    await client.close();
    await gw.close();
  }
}

Deno.test("PoolCache asks only for unknown ids; a second get sends nothing", async () => {
  await withClient(async (client, conn) => {
    const cache = new PoolCache({ client });
    const first = await cache.get("member", "7", ["1", "2", "9"]);
    assert.deepEqual(first.entities.map((m) => m.name), ["ann", "bob"]);
    assert.deepEqual(first.nonexistent, ["9"]);
    assert.equal(conn.count("pool_request"), 1);

    const again = await cache.get("member", "7", ["2", "1", "9", "2"]);
    assert.deepEqual(again.entities.map((m) => m.id), ["2", "1"]);
    assert.deepEqual(again.nonexistent, ["9"]);
    await sleep(20);
    assert.equal(conn.count("pool_request"), 1, "everything came from the cache");

    await cache.get("member", "7", ["1", "3"]);
    const third = conn.frames.filter((f) => f._event === "pool_request")[1] as Frame;
    assert.deepEqual(third.ids, ["3"]);
    assert.equal(third.guild_id, "7");
    // Another guild's member pool is a different pool.
    await cache.get("member", "8", ["1"]);
    assert.equal(conn.count("pool_request"), 3);
  });
});

Deno.test("PoolCache shares one request between concurrent gets of the same ids", async () => {
  await withClient(async (client, conn) => {
    const cache = new PoolCache({ client });
    const [a, b] = await Promise.all([
      cache.get("member", "7", ["1", "2"]),
      cache.get("member", "7", ["2", "1"]),
    ]);
    assert.equal(a.entities.length, 2);
    assert.equal(b.entities.length, 2);
    assert.equal(conn.count("pool_request"), 1);
  });
});

Deno.test("PoolCache fills the user pool from loaded members", async () => {
  await withClient(async (client, conn) => {
    const cache = new PoolCache({ client });
    cache.load("user", null, [{ id: "1", username: "old", discriminator: "1", bot: false }]);
    await cache.get("member", "7", ["1", "2"]);
    assert.deepEqual(cache.entity("user", null, "1"), {
      id: "1",
      username: "ann",
      discriminator: "0420",
      avatar: "a1",
      bot: false,
    });
    assert.deepEqual(cache.entity("user", null, "2"), {
      id: "2",
      username: "bob",
      discriminator: "0420",
      avatar: null,
    });
    // The user pool is agnostic: any guild id reaches the same pool, and it is already loaded.
    const users = await cache.get("user", "99", ["1", "2"]);
    assert.equal(users.entities.length, 2);
    assert.equal(conn.count("pool_request"), 1);
  });
});

Deno.test("PoolCache merges log_pool add, update and remove pushes", async () => {
  await withClient(async (client, conn) => {
    const cache = new PoolCache();
    const detach = cache.attach(client);
    const changes: PoolChange[] = [];
    const unsubscribe = cache.subscribe((change) => changes.push(change));
    await cache.get("member", "7", ["1"]);
    const before = cache.snapshot("member", "7");
    const push = (action: string, id: string, entity?: unknown) =>
      conn.send({ _event: "log_pool", guild_id: "7", type: "member", action, id, entity });

    push("add", "5", member("5", "cat"));
    push("update", "1", member("1", "anna", "a2"));
    push("remove", "2");
    conn.send({
      _event: "log_pool",
      guild_id: "7",
      type: "autoResponse",
      action: "add",
      id: "77",
      entity: { id: "77", trigger: "hi" },
    });
    await waitFor(() => cache.entity("auto_response", "7", "77") !== undefined);

    const after = cache.snapshot("member", "7");
    assert.notEqual(after, before, "a new snapshot after changes");
    assert.ok(after.version > before.version);
    assert.deepEqual([...after.entities.keys()].sort(), ["1", "5"]);
    assert.equal(cache.entity("member", "7", "1")?.name, "anna");
    assert.equal(cache.entity("user", null, "1")?.username, "anna");
    assert.equal(cache.entity("user", null, "5")?.username, "cat");
    assert.ok(after.nonexistent.has("2"));
    assert.equal(cache.snapshot("member", "7"), after, "unchanged pools keep their snapshot");
    assert.ok(changes.some((c) => c.type === "member" && c.ids.includes("2")));
    assert.ok(changes.some((c) => c.type === "user" && c.ids.includes("5")));

    // Known to exist or not: nothing to ask.
    const lookup = await cache.get("member", "7", ["5", "2"]);
    assert.deepEqual(lookup.entities.map((m) => m.id), ["5"]);
    assert.deepEqual(lookup.nonexistent, ["2"]);
    assert.equal(conn.count("pool_request"), 1);

    // Re-adding a removed entity makes it exist again.
    push("add", "2", member("2", "bob"));
    await waitFor(() => cache.entity("member", "7", "2") !== undefined);
    assert.equal(cache.snapshot("member", "7").nonexistent.has("2"), false);

    detach();
    unsubscribe();
    push("remove", "5");
    await sleep(20);
    assert.notEqual(cache.entity("member", "7", "5"), undefined, "detached: pushes ignored");
  });
});

Deno.test("PoolCache.all() loads a pool once, then serves it from the cache", async () => {
  await withClient(async (client, conn, gw) => {
    const cache = new PoolCache();
    cache.attach(client);
    const [a, b] = await Promise.all([
      cache.all("channel", "7"),
      cache.all("channel", "7"),
    ]);
    assert.deepEqual(a.map((c) => c.name), ["general", "random"]);
    assert.deepEqual(b, a);
    assert.equal(cache.snapshot("channel", "7").fullyPopulated, true);
    await cache.all("channel", "7");
    assert.equal(conn.count("pool_all_request"), 1);
    assert.equal((conn.frames.find((f) => f._event === "pool_all_request") as Frame).guild_id, "7");
    assert.deepEqual((await cache.get("channel", "7", ["31"])).entities.length, 1);
    assert.equal(conn.count("pool_request"), 0);

    // After a reconnect, pushes may have been missed: the next all() asks again.
    await conn.close(4009);
    await waitFor(() => client.state === "reconnecting" || client.state === "open");
    await client.ready();
    assert.equal(cache.snapshot("channel", "7").fullyPopulated, false);
    assert.equal(cache.entity("channel", "7", "30")?.name, "general", "entities are kept");
    await cache.all("channel", "7");
    assert.equal((await gw.connection(1)).count("pool_all_request"), 1);
    assert.equal(cache.snapshot("channel", "7").fullyPopulated, true);
  });
});

Deno.test("canonicalPoolType accepts aliases and refuses unknown names", () => {
  assert.equal(canonicalPoolType("member"), "member");
  assert.equal(canonicalPoolType("autoResponse"), "auto_response");
  assert.equal(canonicalPoolType("emoji"), "customEmoji");
  assert.equal(canonicalPoolType("toString"), undefined);
  assert.equal(canonicalPoolType("nope"), undefined);
});

Deno.test("PoolCache.invalidate() drops pools and load() ignores entities without an id", () => {
  const cache = new PoolCache();
  cache.load("role", "1", [{ id: "1", name: "a" }, { name: "no id" }, null]);
  cache.load("role", "2", [{ id: "2", name: "b" }]);
  assert.equal(cache.snapshot("role", "1").entities.size, 1);
  cache.invalidate("role", "1");
  assert.equal(cache.snapshot("role", "1").entities.size, 0);
  assert.equal(cache.snapshot("role", "2").entities.size, 1);
  cache.invalidate();
  assert.equal(cache.snapshot("role", "2").entities.size, 0);
});
