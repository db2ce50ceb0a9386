import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { RawWs } from "./_helpers/raw_ws.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import {
  AnyServerFrame,
  compareIds,
  type LogEvent,
  LogEventType,
} from "../gateway/protocol/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import type { TestNode } from "./_helpers/node.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;

async function connectAs(node: TestNode, userId: string): Promise<WsClient> {
  return await WsClient.connect(wsUrl(node), { cookie: `dev-token=${await tokenFor(userId)}` });
}

function logEvents(c: WsClient, guildId = DEMO): LogEvent[] {
  return c.received((f) => f._event === "log_other" && f.guild_id === guildId)
    .flatMap((f) => f.events as LogEvent[]);
}

function assertAscending(events: LogEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    assert.ok(compareIds(events[i]!.id, events[i - 1]!.id) > 0, `in order at ${i}`);
  }
}

Deno.test("log events of a guild arrive in order, complete, batched under load", async () => {
  await withNode({}, async (node, clients) => {
    const admin = await connectAs(node, users.architusAdmin.id);
    clients.push(admin);
    const sp = await admin.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
    assert.equal(sp.logs, "granted");
    const published = await node.logTraffic!.publish(3000, DEMO);
    await waitFor(() => logEvents(admin).length >= 3000, { message: "3000 events" });
    const got = logEvents(admin);
    assert.deepEqual(got.map((e) => e.id), published.map((e) => e.id), "every event, in order");
    const frames = admin.received((f) => f._event === "log_other").length;
    assert.ok(frames < 300, `batched: ${frames} frames for 3000 events`);
    for (const f of admin.received((f) => f._event === "log_other").slice(0, 20)) {
      assert.ok(AnyServerFrame.safeParse(f).success);
    }
  });
});

Deno.test("an idle guild's event goes out at once, alone", async () => {
  await withNode({}, async (node, clients) => {
    const admin = await connectAs(node, users.architusAdmin.id);
    clients.push(admin);
    await admin.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
    for (let i = 0; i < 3; i++) {
      const from = admin.frames.length;
      const started = performance.now();
      await node.logTraffic!.publish(1, DEMO);
      const f = await admin.next((x) => x._event === "log_other", { from });
      const latency = performance.now() - started;
      assert.equal((f.events as unknown[]).length, 1, "no batching when idle");
      assert.ok(latency < 100, `latency ${latency.toFixed(1)} ms`);
      await sleep(60);
    }
  });
});

Deno.test("private events never reach a member without VIEW_PRIVATE_LOGS", async () => {
  await withNode({}, async (node, clients) => {
    const member = await connectAs(node, users.member.id);
    const mod = await connectAs(node, users.discordAdmin.id);
    const admin = await connectAs(node, users.architusAdmin.id);
    const staff = await connectAs(node, users.staff.id);
    clients.push(member, mod, admin, staff);
    for (const c of [member, mod, admin, staff]) {
      await c.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
    }
    const published = await node.logTraffic!.publish(5000, DEMO);
    const privateCount = published.filter((e) => e.private).length;
    assert.ok(privateCount > 300, `the stream has private events (${privateCount})`);
    await waitFor(() => logEvents(admin).length >= 5000 && logEvents(staff).length >= 5000);
    const publicIds = published.filter((e) => !e.private).map((e) => e.id);
    await waitFor(() =>
      logEvents(member).length >= publicIds.length && logEvents(mod).length >= publicIds.length
    );
    await sleep(50);
    for (const c of [member, mod]) {
      const got = logEvents(c);
      assert.equal(got.filter((e) => e.private).length, 0, "no private event");
      assert.deepEqual(got.map((e) => e.id), publicIds, "every public event, in order");
    }
    assertAscending(logEvents(admin));
    assert.equal(logEvents(admin).filter((e) => e.private).length, privateCount);
  });
});

Deno.test("a mislabelled private event on the public topic is still treated as private", async () => {
  await withNode({}, async (node, clients) => {
    const member = await connectAs(node, users.member.id);
    const admin = await connectAs(node, users.architusAdmin.id);
    clients.push(member, admin);
    await member.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
    await admin.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
    const [event] = await node.logTraffic!.publish(1, DEMO);
    await admin.next((f) => f._event === "log_other");
    const secret = {
      ...event!,
      id: String(BigInt(event!.id) + 1n),
      private: true,
      content: "secret",
    };
    await node.bus.publish(`guild.${DEMO}.log.public`, JSON.stringify({ events: [secret] }));
    await admin.next((f) =>
      f._event === "log_other" && (f.events as LogEvent[])[0]!.content === "secret"
    );
    await sleep(50);
    assert.equal(logEvents(member).filter((e) => e.content === "secret").length, 0);
  });
});

Deno.test("logs_request pages the history newest first, with filters and permissions", async () => {
  await withNode({}, async (node, clients) => {
    const admin = await connectAs(node, users.architusAdmin.id);
    const member = await connectAs(node, users.member.id);
    const outsider = await connectAs(node, users.nonMember.id);
    clients.push(admin, member, outsider);
    const published = await node.logTraffic!.publish(700, DEMO);
    const newestFirst = published.map((e) => e.id).reverse();
    const page1 = await admin.ask({ _event: "logs_request", _seq: 1, guild_id: DEMO, limit: 300 });
    const ids1 = (page1.events as LogEvent[]).map((e) => e.id);
    assert.deepEqual(ids1, newestFirst.slice(0, 300));
    assert.equal(page1.has_more, true);
    const page2 = await admin.ask({
      _event: "logs_request",
      _seq: 2,
      guild_id: DEMO,
      limit: 500,
      before: ids1.at(-1),
    });
    assert.deepEqual((page2.events as LogEvent[]).map((e) => e.id), newestFirst.slice(300));
    assert.equal(page2.has_more, false);
    const sends = await admin.ask({
      _event: "logs_request",
      _seq: 3,
      guild_id: DEMO,
      limit: 500,
      filter: { types: [LogEventType.MessageSend] },
    });
    assert.ok((sends.events as LogEvent[]).every((e) => e.type === LogEventType.MessageSend));
    const text = await admin.ask({
      _event: "logs_request",
      _seq: 4,
      guild_id: DEMO,
      limit: 500,
      filter: { text: "GM EVERYONE" },
    });
    assert.ok((text.events as LogEvent[]).length > 0);
    assert.ok(
      (text.events as LogEvent[]).every((e) => e.content.toLowerCase().includes("gm everyone")),
    );
    const memberPage = await member.ask({
      _event: "logs_request",
      _seq: 1,
      guild_id: DEMO,
      limit: 500,
    });
    assert.ok((memberPage.events as LogEvent[]).every((e) => !e.private));
    assert.ok((memberPage.events as LogEvent[]).length > 0);
    const refused = await outsider.ask({ _event: "logs_request", _seq: 1, guild_id: DEMO });
    assert.equal(refused.error, "not_a_member");
  });
});

Deno.test("resume with since delivers every event exactly once across a forced disconnect", async () => {
  await withNode({}, async (node, clients) => {
    const cookie = `dev-token=${await tokenFor(users.architusAdmin.id)}`;
    const first = await WsClient.connect(wsUrl(node), { cookie });
    clients.push(first);
    await first.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
    // Continuous traffic in the background for the whole test.
    let running = true;
    const all: LogEvent[] = [];
    const traffic = (async () => {
      while (running) {
        all.push(...await node.logTraffic!.publish(20, DEMO));
        await sleep(5);
      }
    })();
    await waitFor(() => logEvents(first).length >= 200);
    // Kill the connection from the server side, as a crash or network cut would.
    for (const s of node.gateway.connections) s.transport.close(4009, "test cut");
    await first.closed;
    const seen = logEvents(first);
    const last = seen.at(-1)!.id;
    await sleep(100); // events keep arriving while disconnected
    const second = await WsClient.connect(wsUrl(node), { cookie });
    clients.push(second);
    const sp = await second.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO,
      include_logs: true,
      since: last,
    });
    assert.equal(sp.recovered, true);
    await sleep(200);
    running = false;
    await traffic;
    const expected = all.map((e) => e.id);
    await waitFor(() => seen.length + logEvents(second).length >= expected.length, {
      message: "all events",
    });
    await sleep(50);
    const combined = [...seen, ...logEvents(second)].map((e) => e.id);
    assert.deepEqual(combined, expected, "no gap, no duplicate, in order");
  });
});

Deno.test("resume further back than the replay limit says recovered: false", async () => {
  await withNode({ LOG_MAX_REPLAY: "100" }, async (node, clients) => {
    const admin = await connectAs(node, users.architusAdmin.id);
    clients.push(admin);
    const [first] = await node.logTraffic!.publish(1, DEMO);
    await node.logTraffic!.publish(500, DEMO);
    const sp = await admin.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO,
      include_logs: true,
      since: first!.id,
    });
    assert.equal(sp.recovered, false);
    // The live stream still flows.
    await node.logTraffic!.publish(5, DEMO);
    await waitFor(() => logEvents(admin).length === 5);
  });
});

Deno.test("a consumer that stops reading is coalesced, told of its gap, and others stay on time", async () => {
  await withNode(
    {
      SEND_SOFT_BYTES: "65536",
      SEND_HARD_BYTES: "33554432",
      LOG_MAX_HELD: "2000",
      LOG_SLOW_CLOSE_MS: "20000",
    },
    async (node, clients) => {
      const reader = await connectAs(node, users.architusAdmin.id);
      clients.push(reader);
      await reader.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
      const slow = await RawWs.connect(new URL("/gateway", node.url), {
        cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
      });
      try {
        await slow.send(
          JSON.stringify({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true }),
        );
        await slow.read((t) => t.includes("spectate_return"));
        // The slow client stops reading while a burst goes out.
        const published: LogEvent[] = [];
        const latencies: number[] = [];
        for (let i = 0; i < 60; i++) {
          const from = reader.frames.length;
          const t0 = performance.now();
          published.push(...await node.logTraffic!.publish(1000, DEMO));
          await reader.next((f) => f._event === "log_other", { from });
          latencies.push(performance.now() - t0);
        }
        const delivery = [...node.gateway.streams.logStreams()].find((d) => d.lagging);
        assert.ok(delivery !== undefined && delivery !== null, "the slow consumer is lagging");
        assert.ok(delivery.heldCount <= 2000, `held ${delivery.heldCount} (bounded)`);
        assert.ok(
          node.gateway.streams.logs.counters.dropped > 0,
          "events beyond the bound were dropped",
        );
        latencies.sort((a, b) => a - b);
        assert.ok(
          latencies[Math.floor(latencies.length * 0.9)]! < 250,
          `reader p90 ${latencies[54]} ms`,
        );
        await waitFor(() => logEvents(reader).length === published.length, {
          message: "reader got all",
        });
        // Now it reads again: a log_gap naming the missed range, then coalesced events, in order.
        const { texts } = await slow.read((t) => t.includes(published.at(-1)!.id), 20_000);
        const frames = texts.map((t) => JSON.parse(t) as Record<string, unknown>);
        const gap = frames.find((f) => f._event === "log_gap");
        assert.ok(gap !== undefined, "told of the gap");
        assert.equal(gap.reason, "slow_consumer");
        const got = frames.filter((f) => f._event === "log_other").flatMap((f) =>
          f.events as LogEvent[]
        );
        assertAscending(got);
        // Every published event was either received or inside the gap range.
        const received = new Set(got.map((e) => e.id));
        for (const e of published) {
          const inGap = (gap.after === null || compareIds(e.id, gap.after as string) > 0) &&
            compareIds(e.id, gap.until as string) <= 0;
          assert.ok(received.has(e.id) || inGap, `event ${e.id} accounted for`);
        }
        const coalesced = frames.filter((f) => f._event === "log_other").some((f) =>
          (f.events as unknown[]).length > 1000
        );
        assert.ok(coalesced, "held events were sent coalesced");
      } finally {
        slow.close();
      }
    },
  );
});

Deno.test("a consumer that never reads is closed as slow (4009) while memory stays bounded", async () => {
  await withNode(
    {
      SEND_SOFT_BYTES: "65536",
      SEND_HARD_BYTES: "1048576",
      LOG_MAX_HELD: "1000",
      LOG_SLOW_CLOSE_MS: "1500",
    },
    async (node, clients) => {
      const reader = await connectAs(node, users.architusAdmin.id);
      clients.push(reader);
      await reader.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
      const slow = await RawWs.connect(new URL("/gateway", node.url), {
        cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
      });
      try {
        await slow.send(
          JSON.stringify({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true }),
        );
        await slow.read((t) => t.includes("spectate_return"));
        const before = Deno.memoryUsage().rss;
        let total = 0;
        const deadline = Date.now() + 15_000;
        while (node.gateway.connections.size > 1 && Date.now() < deadline) {
          total += (await node.logTraffic!.publish(2000, DEMO)).length;
          await sleep(20);
        }
        assert.equal(node.gateway.connections.size, 1, "the slow consumer was closed");
        const { closeCode } = await slow.read(() => false, 20_000);
        assert.equal(closeCode, 4009);
        await waitFor(() => logEvents(reader).length === total, {
          message: "reader got everything",
        });
        const grown = (Deno.memoryUsage().rss - before) / 1024 / 1024;
        assert.ok(grown < 200, `rss grew ${grown.toFixed(0)} MiB`);
      } finally {
        slow.close();
      }
    },
  );
});

Deno.test("with many log spectators the batching window widens to fit the frame budget", async () => {
  await withNode({ LOG_FRAME_BUDGET: "1000", LOG_BATCH_WINDOW_MS: "5" }, async (node, clients) => {
    const cookie = `dev-token=${await tokenFor(users.architusAdmin.id)}`;
    for (let i = 0; i < 40; i++) {
      const c = await WsClient.connect(wsUrl(node), { cookie });
      clients.push(c);
      await c.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
    }
    assert.equal(node.gateway.streams.logs.windowMs, 40, "40 spectators / 1000 frames per second");
    const probe = clients[0]!;
    const from = probe.frames.length;
    const until = Date.now() + 1000;
    let published = 0;
    while (Date.now() < until) {
      published += (await node.logTraffic!.publish(5, DEMO)).length;
      await sleep(2);
    }
    await waitFor(() => logEvents(probe).length >= published);
    const frames = probe.frames.slice(from).filter((f) => f._event === "log_other").length;
    assert.ok(frames <= 35, `${frames} frames in a second: at most one per 40 ms window (+ slack)`);
  });
});
