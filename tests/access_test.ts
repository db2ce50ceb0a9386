/**
 * Access follows the backend: a member removed, or one who lost a
 * permission, loses what it gave them at once, on every node; decisions
 * expire and re-elevation asks again.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { ArchitusPermission, DEFAULT_ARCHITUS_PERMISSIONS } from "../gateway/protocol/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { startDemoService } from "../demo/mod.ts";
import { AmqpBus } from "../gateway/bus/mod.ts";
import { AMQP_TEST_URL, dataset, startTestNode, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { deleteQueues } from "./_helpers/broker.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const DEMO = DEMO_GUILD_IDS.architusDemo;
const MEMBER = dataset().demoUsers.member.id;

async function spectator(
  url: string,
  userId: string,
  clients: WsClient[],
): Promise<WsClient> {
  const c = await WsClient.connect(url, { cookie: `dev-token=${await tokenFor(userId)}` });
  clients.push(c);
  const answer = await c.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
  assert.equal(answer.logs, "granted");
  return c;
}

Deno.test("a member removed while spectating loses the guild's stream and its requests at once", async () => {
  await withNode({}, async (node, clients) => {
    const c = await spectator(wsUrl(node), MEMBER, clients);
    await node.logTraffic!.publish(20, DEMO);
    await c.next((f) => f._event === "log_other");
    const removedAt = Date.now();
    await node.changes!.removeMember(DEMO, MEMBER);
    const ended = await c.next((f) => f._event === "spectate_ended", { timeoutMs: 1000 });
    assert.deepEqual(ended, { _event: "spectate_ended", guild_id: DEMO, reason: "not_a_member" });
    const endedAt = c.arrivals[c.frames.indexOf(ended)]!;
    assert.ok(endedAt - removedAt < 1000, `ended ${endedAt - removedAt} ms after the removal`);
    // Nothing of the guild arrives after that, while its stream goes on.
    const from = c.frames.length;
    await node.logTraffic!.publish(50, DEMO);
    await node.changes!.addMember(DEMO, { ...dataset().guild(DEMO)!.members[5]!, id: "1" });
    await sleep(300);
    const after = c.frames.slice(from).filter((f) => f.guild_id === DEMO);
    assert.deepEqual(after, [], "no log_other or log_pool of the guild after the end");
    // Its requests for the guild are refused.
    const members = await c.ask({
      _event: "pool_all_request",
      _seq: 2,
      type: "channel",
      guild_id: DEMO,
    });
    assert.equal((members.error as { error: string }).error, "not_a_member");
    const history = await c.ask({ _event: "logs_request", _seq: 3, guild_id: DEMO });
    assert.equal(history.error, "not_a_member");
    assert.equal(node.gateway.counts().spectators, 0);
    assert.equal(node.gateway.accessWatch.counters.ended, 1);
  });
});

Deno.test("a member who loses VIEW_PRIVATE_LOGS stops receiving private events at once", async () => {
  await withNode({}, async (node, clients) => {
    const bits = DEFAULT_ARCHITUS_PERMISSIONS | ArchitusPermission.VIEW_PRIVATE_LOGS;
    await node.changes!.setArchitusPermissions(DEMO, MEMBER, bits);
    const c = await spectator(wsUrl(node), MEMBER, clients);
    const granted = c.frames.find((f) => f._event === "spectate_return")!;
    assert.deepEqual(granted.categories, ["pool", "log.public", "log.private"]);
    await node.changes!.setArchitusPermissions(DEMO, MEMBER, DEFAULT_ARCHITUS_PERMISSIONS);
    const changed = await c.next((f) => f._event === "access_changed", { timeoutMs: 1000 });
    assert.deepEqual(changed.categories, ["pool", "log.public"]);
    assert.equal(changed.logs, "granted");
    const from = c.frames.length;
    const events = await node.logTraffic!.publish(200, DEMO);
    assert.ok(events.some((e) => e.private), "the stream carries private events");
    await waitFor(() =>
      c.frames.slice(from).flatMap((f) => f._event === "log_other" ? f.events as unknown[] : [])
        .length >= events.filter((e) => !e.private).length
    );
    const got = c.frames.slice(from).flatMap((f) =>
      f._event === "log_other" ? f.events as Array<{ private: boolean }> : []
    );
    assert.equal(got.filter((e) => e.private).length, 0, "no private event after the change");
    assert.deepEqual(
      [...node.gateway.streams.rooms.bindings.held.keys()].sort(),
      [`guild.${DEMO}.access`, `guild.${DEMO}.log.public`, `guild.${DEMO}.pool`],
      "the private topic is unbound",
    );
  });
});

Deno.test("access decisions expire: a removal the node never heard of ends the spectate after the TTL", async () => {
  await withNode({ ACCESS_TTL_SECONDS: "1" }, async (node, clients) => {
    const c = await spectator(wsUrl(node), MEMBER, clients);
    // Removed in the backend without any message: only the expiry can find it.
    node.demo!.guilds.get(DEMO)!.pools.member.delete(MEMBER);
    const started = Date.now();
    const ended = await c.next((f) => f._event === "spectate_ended", { timeoutMs: 4000 });
    assert.equal(ended.reason, "not_a_member");
    const took = Date.now() - started;
    assert.ok(took >= 200 && took < 3000, `ended after ${took} ms`);
  });
});

Deno.test("re-elevation asks the backend again", async () => {
  await withNode({}, async (node, clients) => {
    const c = await spectator(wsUrl(node), MEMBER, clients);
    node.demo!.guilds.get(DEMO)!.pools.member.delete(MEMBER);
    await sleep(200);
    assert.equal(c.frames.filter((f) => f._event === "spectate_ended").length, 0);
    const answer = await c.ask({
      _event: "request_elevation",
      _seq: 5,
      token: await tokenFor(MEMBER),
    });
    assert.equal(answer.result, true);
    const ended = await c.next((f) => f._event === "spectate_ended", { timeoutMs: 1000 });
    assert.equal(ended.reason, "not_a_member");
  });
});

Deno.test({
  name:
    "a member removed is told on every node and receives nothing of the guild 1 s later (RabbitMQ)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `a${crypto.randomUUID().slice(0, 8)}`;
    const backendBus = new AmqpBus({ url: AMQP_TEST_URL, namespace: ns, name: "test-backend" });
    await backendBus.start();
    const service = await startDemoService(backendBus, {
      shards: 4,
      dataset: dataset(),
      logRate: 200,
      poolUpdateSeconds: 0,
    });
    const env = { AMQP_URL: AMQP_TEST_URL, BUS_NAMESPACE: ns };
    const nodes = [await startTestNode(env), await startTestNode(env)];
    const clients: WsClient[] = [];
    try {
      const watchers = [
        await spectator(wsUrl(nodes[0]!), MEMBER, clients),
        await spectator(wsUrl(nodes[1]!), MEMBER, clients),
      ];
      for (const c of watchers) await c.next((f) => f._event === "log_other", { timeoutMs: 5000 });
      const removedAt = Date.now();
      await service.changes.removeMember(DEMO, MEMBER);
      for (const c of watchers) {
        const ended = await c.next((f) => f._event === "spectate_ended", { timeoutMs: 1000 });
        assert.equal(ended.reason, "not_a_member");
      }
      await sleep(1500); // the guild's stream goes on meanwhile (200 events a second)
      for (const [i, c] of watchers.entries()) {
        const late = c.frames.filter((f, k) =>
          f.guild_id === DEMO && f._event !== "spectate_ended" && c.arrivals[k]! > removedAt + 1000
        );
        assert.deepEqual(late, [], `node ${i}: nothing of the guild 1 s after the removal`);
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      for (const node of nodes) await node.shutdown(1000);
      await service.stop();
      await backendBus.shutdown();
      await deleteQueues(`${ns}.gateway.revocations`);
    }
  },
});
