import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import {
  AMQP_TEST_URL,
  dataset,
  startTestNode,
  TEST_SECRET,
  tokenFor,
  wsUrl,
} from "./_helpers/node.ts";
import { freePort } from "../testing/free_port.ts";
import { ChildProcess, metric, waitForReady } from "./_helpers/process.ts";
import { AmqpBus, DEMOTE_TOPIC } from "../gateway/bus/mod.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { recordFigures } from "./_helpers/figures.ts";
import { deleteQueues, rabbitmqctl } from "./_helpers/broker.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const LOUNGE = DEMO_GUILD_IDS.gamingLounge;

Deno.test({
  name: "two gateway processes and the backend process share one broker; the broker filters",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `t${crypto.randomUUID().slice(0, 8)}`;
    const env = {
      AMQP_URL: AMQP_TEST_URL,
      BUS_NAMESPACE: ns,
      JWT_SECRET: TEST_SECRET,
      DEMO_LOG_RATE: "200",
      DEMO_POOL_UPDATE_SECONDS: "1",
      LOG_LEVEL: "warn",
    };
    const [portA, portB] = [freePort(), freePort()];
    const backend = ChildProcess.start("backend_main.ts", env);
    const nodeA = ChildProcess.start("main.ts", { ...env, PORT: String(portA) });
    const nodeB = ChildProcess.start("main.ts", { ...env, PORT: String(portB) });
    const a = new URL(`http://127.0.0.1:${portA}/`);
    const b = new URL(`http://127.0.0.1:${portB}/`);
    const clients: WsClient[] = [];
    const control = new AmqpBus({ url: AMQP_TEST_URL, namespace: ns, name: "test-control" });
    try {
      await Promise.all([
        waitForReady(new URL("/readyz", a).href),
        waitForReady(new URL("/readyz", b).href),
      ]);
      const ws = (base: URL) => `ws://${base.host}/gateway`;
      const admin = await WsClient.connect(ws(a), {
        cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
      });
      const outsider = await WsClient.connect(ws(b), {
        cookie: `dev-token=${await tokenFor(users.nonMember.id)}`,
      });
      clients.push(admin, outsider);
      assert.equal(
        (await admin.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true })).logs,
        "granted",
      );
      assert.equal(
        (await outsider.ask({ _event: "spectate", _seq: 1, guild_id: LOUNGE }))._event,
        "spectate_return",
      );
      // A receives guild DEMO's log stream through the broker ...
      await waitFor(() => admin.received((f) => f._event === "log_other").length >= 5, {
        timeoutMs: 10_000,
      });
      assert.ok(admin.received((f) => f._event === "log_other").every((f) => f.guild_id === DEMO));
      // ... and B, with no log spectator, receives no log message at all from it.
      await sleep(500);
      assert.ok(await metric(a, "gateway_log_events_received_total") > 0);
      assert.equal(
        await metric(b, "gateway_log_events_received_total"),
        0,
        "the broker filtered B's queue",
      );
      assert.equal(
        await metric(b, "gateway_bus_bindings"),
        2,
        "B binds only Lounge's pool and access keys",
      );
      // Pool updates reach B's spectator of Lounge only.
      const push = await outsider.next((f) => f._event === "log_pool", { timeoutMs: 10_000 });
      assert.equal(push.guild_id, LOUNGE);
      // Pools and interpret work through either node.
      const channelsA = await admin.ask({
        _event: "pool_all_request",
        _seq: 2,
        type: "channel",
        guild_id: DEMO,
      });
      assert.ok((channelsA.data as unknown[]).length > 0);
      const channelsB = await outsider.ask({
        _event: "pool_all_request",
        _seq: 2,
        type: "channel",
        guild_id: LOUNGE,
      });
      assert.ok((channelsB.data as unknown[]).length > 0);
      const bigB = await outsider.ask({
        _event: "pool_request",
        _seq: 3,
        type: "partial_user",
        ids: [users.member.id],
      });
      assert.equal((bigB.data as Array<{ id: string }>)[0]?.id, users.member.id);
      for (const c of [admin, outsider]) {
        const from = c.frames.length;
        c.send({
          _event: "ping",
          action: 3001,
          guildId: 4242,
          messageId: 0,
          content: "!help",
          allowedCommands: ["poll"],
        });
        const bot = await c.next((f) => f._event === "mock_bot_event", { from });
        assert.equal(bot.guildId, 4242);
      }
      // A sign-out published by any service demotes the user's connections on both nodes.
      const cookie = `dev-token=${await tokenFor(users.member.id)}`;
      const memberA = await WsClient.connect(ws(a), { cookie });
      const memberB = await WsClient.connect(ws(b), { cookie });
      clients.push(memberA, memberB);
      await control.start();
      await control.publish(DEMOTE_TOPIC, JSON.stringify({ user_id: users.member.id }));
      assert.equal((await memberA.next((f) => f._event === "demoted")).reason, "signed_out");
      assert.equal((await memberB.next((f) => f._event === "demoted")).reason, "signed_out");
      assert.equal(
        (await admin.ask({ _event: "session", _seq: 9 })).elevated,
        true,
        "others untouched",
      );
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await control.shutdown();
      await Promise.all([nodeA.stop(), nodeB.stop(), backend.stop()]);
      await deleteQueues(`${ns}.gateway.revocations`);
    }
  },
});

Deno.test({
  name:
    "a broker restart under traffic: clients stay, /readyz reflects it, bindings and events come back",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `r${crypto.randomUUID().slice(0, 8)}`;
    const backendBus = new AmqpBus({
      url: AMQP_TEST_URL,
      namespace: ns,
      name: "test-backend",
      retryHighMs: 1000,
    });
    await backendBus.start();
    const { startDemoService } = await import("../demo/mod.ts");
    const service = await startDemoService(backendBus, {
      shards: 4,
      dataset: dataset(),
      logRate: 100,
      poolUpdateSeconds: 0,
    });
    const node = await startTestNode({
      AMQP_URL: AMQP_TEST_URL,
      BUS_NAMESPACE: ns,
      BACKEND_TIMEOUT_MS: "2000",
    });
    const client = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
    });
    let restarted = false;
    try {
      await client.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
      await waitFor(() => client.received((f) => f._event === "log_other").length >= 3, {
        timeoutMs: 10_000,
      });
      const ready = async () => (await fetch(new URL("/readyz", node.url))).status;
      assert.equal(await ready(), 200);
      await rabbitmqctl("stop_app");
      await waitFor(() => !node.bus.ready, {
        timeoutMs: 10_000,
        message: "bus noticed the outage",
      });
      assert.equal(await ready(), 503, "not ready while the broker is down");
      // A backend call during the outage fails fast with a clear error, it does not hang.
      const started = Date.now();
      const during = await client.ask({
        _event: "pool_all_request",
        _seq: 2,
        type: "channel",
        guild_id: DEMO,
      });
      assert.equal((during.error as { error: string }).error, "backend_unavailable");
      assert.ok(Date.now() - started < 2500, "within the deadline");
      const downAt = Date.now();
      await rabbitmqctl("start_app");
      restarted = true;
      const upAt = Date.now();
      await waitFor(() => node.bus.ready, { timeoutMs: 30_000, message: "bus reconnected" });
      const reconnectedAt = Date.now();
      await waitForReady(new URL("/readyz", node.url).href, 30_000);
      // The client stayed connected, was told of the gap, and live events flow again.
      const gap = await client.next((f) => f._event === "log_gap", { timeoutMs: 10_000 });
      assert.equal(gap.reason, "bus_outage");
      const from = client.frames.length;
      await client.next((f) => f._event === "log_other", { from, timeoutMs: 15_000 });
      await recordFigures("broker_restart", {
        brokerStartMs: upAt - downAt,
        busReconnectedAfterBrokerUpMs: reconnectedAt - upAt,
        eventsFlowingAfterBrokerUpMs: Date.now() - upAt,
      });
      assert.ok(await metric(node.url, "gateway_bus_reconnects_total") >= 1);
      assert.equal(node.gateway.counts().bindings, 4, "the guild's bindings are back");
      const after = await client.ask({
        _event: "pool_all_request",
        _seq: 3,
        type: "channel",
        guild_id: DEMO,
      });
      assert.equal(after.error, undefined);
    } finally {
      if (!restarted) await rabbitmqctl("start_app").catch(() => {});
      await client.close();
      await node.shutdown(1000);
      await service.stop();
      await backendBus.shutdown();
      await deleteQueues(`${ns}.gateway.revocations`);
    }
  },
});
