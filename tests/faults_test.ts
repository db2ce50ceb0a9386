import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { RawWs } from "./_helpers/raw_ws.ts";
import { AMQP_TEST_URL, dataset, TEST_SECRET, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { freePort } from "../testing/free_port.ts";
import { ChildProcess, metric, waitForReady } from "./_helpers/process.ts";
import { DEMO_GUILD_IDS, startDemoService } from "../demo/mod.ts";
import { MemoryBus } from "../gateway/bus/mod.ts";
import { compareIds, type LogEvent } from "../gateway/protocol/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;

Deno.test("a client killed mid-stream releases its rooms, bindings, requests and timers", async () => {
  await withNode({}, async (node, clients) => {
    const baseline = node.gateway.counts();
    const cookie = `dev-token=${await tokenFor(users.architusAdmin.id)}`;
    // Several clients spectate with logs and have requests in flight, then die abruptly.
    for (let round = 0; round < 3; round++) {
      const raws: RawWs[] = [];
      for (let i = 0; i < 20; i++) {
        const raw = await RawWs.connect(new URL("/gateway", node.url), { cookie });
        await raw.send(
          JSON.stringify({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true }),
        );
        await raw.send(
          JSON.stringify({ _event: "pool_all_request", _seq: 3, type: "member", guild_id: DEMO }),
        );
        raws.push(raw);
      }
      await waitFor(() => node.gateway.counts().spectators === 20, {
        message: "20 spectators",
      });
      await node.logTraffic!.publish(500, DEMO);
      for (const raw of raws) raw.close(); // no close handshake: the TCP connection just drops
      await waitFor(() => node.gateway.connections.size === 0, { message: "sessions released" });
    }
    assert.deepEqual(node.gateway.counts(), baseline, "rooms and bindings back to baseline");
    assert.equal(await metric(node.url, "gateway_pending_requests"), 0);
    assert.equal(await metric(node.url, "gateway_spectators"), 0);
    assert.equal(await metric(node.url, "gateway_bus_bindings"), 0);
    // The node still serves normally.
    const c = await WsClient.connect(wsUrl(node), { cookie });
    clients.push(c);
    assert.equal(
      (await c.ask({ _event: "spectate", _seq: 1, guild_id: DEMO }))._event,
      "spectate_return",
    );
  });
});

Deno.test("a backend that fails, is gone, then returns: errors within the deadline, then recovery", async () => {
  const bus = new MemoryBus();
  await bus.start();
  await withNode({
    BACKEND_TIMEOUT_MS: "500",
    READY_REQUIRES_BACKEND: "true",
    HEALTH_INTERVAL_SECONDS: "0.2",
  }, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.member.id)}`,
    });
    clients.push(c);
    const ask = async (seq: number) => {
      const started = Date.now();
      const r = await c.ask({
        _event: "pool_all_request",
        _seq: seq,
        type: "channel",
        guild_id: DEMO,
      });
      return {
        error: (r.error as { error?: string } | undefined)?.error,
        took: Date.now() - started,
      };
    };
    // Gone: nobody serves the shard queues.
    const gone = await ask(1);
    assert.equal(gone.error, "backend_unavailable");
    assert.ok(gone.took < 600);
    await waitFor(() => !node.gateway.health.healthy, { message: "the probes saw it" });
    const notReady = await fetch(new URL("/readyz", node.url));
    assert.equal(notReady.status, 503, "READY_REQUIRES_BACKEND: a backend outage is unready");
    await notReady.body?.cancel();
    // Failing: a shard that answers every call with status 500.
    const failing = await Promise.all(
      [0, 1, 2, 3].map((n) =>
        bus.serve(
          `shard_rpc_${n}`,
          () => Promise.resolve(JSON.stringify({ sc: 500, resp: { message: "boom" } })),
        )
      ),
    );
    const failed = await ask(2);
    assert.equal(failed.error, "backend_error");
    await Promise.all(failing.map((s) => s.unsubscribe()));
    // Back: the demo backend serves again and requests succeed without any restart.
    const service = await startDemoService(bus, {
      shards: 4,
      dataset: dataset(),
      logRate: 0,
      poolUpdateSeconds: 0,
    });
    try {
      assert.equal((await ask(3)).error, undefined);
      await waitForReady(new URL("/readyz", node.url).href, 5000);
    } finally {
      await service.stop();
    }
  }, { bus, embeddedBackend: false });
});

Deno.test({
  name: "a gateway process killed: its clients resume on another node without a gap",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `k${crypto.randomUUID().slice(0, 8)}`;
    const env = {
      AMQP_URL: AMQP_TEST_URL,
      BUS_NAMESPACE: ns,
      JWT_SECRET: TEST_SECRET,
      DEMO_LOG_RATE: "300",
      DEMO_POOL_UPDATE_SECONDS: "0",
      LOG_LEVEL: "error",
    };
    const [portA, portB] = [freePort(), freePort()];
    const backend = ChildProcess.start("backend_main.ts", env);
    const nodeA = ChildProcess.start("main.ts", { ...env, PORT: String(portA) });
    const nodeB = ChildProcess.start("main.ts", { ...env, PORT: String(portB) });
    const clients: WsClient[] = [];
    try {
      await waitForReady(`http://127.0.0.1:${portA}/readyz`);
      await waitForReady(`http://127.0.0.1:${portB}/readyz`);
      const cookie = `dev-token=${await tokenFor(users.architusAdmin.id)}`;
      const onA = await WsClient.connect(`ws://127.0.0.1:${portA}/gateway`, { cookie });
      clients.push(onA);
      await onA.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
      const events = (c: WsClient) =>
        c.received((f) => f._event === "log_other").flatMap((f) => f.events as LogEvent[]);
      await waitFor(() => events(onA).length >= 30, { timeoutMs: 10_000 });
      await nodeA.stop("SIGKILL"); // the process dies: no close frame, no drain
      await onA.closed;
      const seen = events(onA);
      const last = seen.at(-1)!.id;
      await sleep(300); // events keep flowing while the client reconnects elsewhere
      const onB = await WsClient.connect(`ws://127.0.0.1:${portB}/gateway`, { cookie });
      clients.push(onB);
      const sp = await onB.ask({
        _event: "spectate",
        _seq: 1,
        guild_id: DEMO,
        include_logs: true,
        since: last,
      });
      assert.equal(sp.recovered, true);
      await waitFor(() => events(onB).length >= 60, { timeoutMs: 10_000 });
      const resumed = events(onB);
      // Compare with the backend's history: from the first event seen to the last, nothing missing or doubled.
      // Page through the history newest first (under load more than one page may have passed).
      const historyIds: string[] = [];
      let before = String(BigInt(resumed.at(-1)!.id) + 1n);
      for (let page = 2; page < 50; page++) {
        const history = await onB.ask({
          _event: "logs_request",
          _seq: page,
          guild_id: DEMO,
          limit: 500,
          after: seen[0]!.id,
          before,
        }, 10_000);
        const ids = (history.events as LogEvent[]).map((e) => e.id);
        historyIds.push(...ids);
        if (history.has_more !== true || ids.length === 0) break;
        before = ids.at(-1)!;
      }
      const expected = historyIds.reverse();
      expected.unshift(seen[0]!.id);
      const got = [...seen, ...resumed].map((e) => e.id);
      assert.deepEqual(got, expected, "exactly once, in order, across the node's death");
      for (let i = 1; i < got.length; i++) assert.ok(compareIds(got[i]!, got[i - 1]!) > 0);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all([nodeA.stop(), nodeB.stop(), backend.stop()]);
    }
  },
});
