/**
 * Gap notices after a broker outage are exact: the broker is stopped under
 * traffic several times, and the client's received events plus what it
 * backfills from its `log_gap` ranges equal the history, event for event.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEMO_GUILD_IDS, startDemoService } from "../demo/mod.ts";
import { AmqpBus } from "../gateway/bus/mod.ts";
import { compareIds, type LogEvent } from "../gateway/protocol/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { deleteQueues, rabbitmqctl } from "./_helpers/broker.ts";
import { recordFigures } from "./_helpers/figures.ts";
import {
  AMQP_TEST_URL,
  captured,
  dataset,
  startTestNode,
  tokenFor,
  wsUrl,
} from "./_helpers/node.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const DEMO = DEMO_GUILD_IDS.architusDemo;
const marks: string[] = [];
const mark = (what: string) => marks.push(`${Date.now() % 100000} ${what}`);
const timeline = () =>
  marks.join("; ") + " | " + captured.filter((l) => /bus (resumed|back|down)/.test(l))
    .map((l) => `${Date.parse(JSON.parse(l).t) % 100000} ${JSON.parse(l).msg.slice(0, 12)}`).join(
      "; ",
    );
const ADMIN = dataset().demoUsers.architusAdmin.id;

/** Every event of the guild in the history with an id in (after, until], oldest first. */
async function historyBetween(c: WsClient, after: string | null, until: string): Promise<string[]> {
  const ids: string[] = [];
  let before = String(BigInt(until) + 1n);
  for (let seq = 1000 + Math.floor(Math.random() * 1e6);; seq++) {
    const page = await c.ask({
      _event: "logs_request",
      _seq: seq,
      guild_id: DEMO,
      limit: 500,
      before,
      ...(after !== null ? { after } : {}),
    }, 10_000);
    const got = (page.events as LogEvent[]).map((e) => e.id);
    ids.push(...got);
    if (page.has_more !== true || got.length === 0) break;
    before = got.at(-1)!;
  }
  return ids.reverse();
}

Deno.test({
  name:
    "after broker outages under traffic, received events plus the gaps' backfill equal the history",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `g${crypto.randomUUID().slice(0, 8)}`;
    const backendBus = new AmqpBus({ url: AMQP_TEST_URL, namespace: ns, retryHighMs: 500 });
    await backendBus.start();
    const service = await startDemoService(backendBus, {
      shards: 4,
      dataset: dataset(),
      logRate: 0,
      poolUpdateSeconds: 0,
    });
    const node = await startTestNode({ AMQP_URL: AMQP_TEST_URL, BUS_NAMESPACE: ns });
    const client = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(ADMIN)}`,
    });
    // Events of the one guild, published steadily (into the history even while the broker is away).
    let publishing = true;
    const traffic = (async () => {
      while (publishing) {
        await service.logTraffic.publish(3, DEMO).catch(() => []);
        await sleep(20);
      }
    })();
    let brokerDown = false;
    const outages = 3;
    try {
      await client.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
      const received = () =>
        client.received((f) => f._event === "log_other").flatMap((f) => f.events as LogEvent[]);
      await waitFor(() => received().length >= 20, { timeoutMs: 10_000 });
      for (let i = 0; i < outages; i++) {
        brokerDown = true;
        mark("stop");
        await rabbitmqctl("stop_app");
        mark("stopped");
        await waitFor(() => !node.bus.ready, { timeoutMs: 10_000, message: "the node saw it" });
        await sleep(1000 + 500 * i);
        mark("start");
        await rabbitmqctl("start_app");
        mark("started");
        brokerDown = false;
        await waitFor(() => node.bus.ready, { timeoutMs: 20_000, message: "the node is back" });
        const before = received().length;
        await waitFor(() => received().length >= before + 30, {
          timeoutMs: 20_000,
          message: `events flow again after outage ${i + 1}`,
        });
      }
      publishing = false;
      await traffic;
      await sleep(500);
      const gaps = client.received((f) => f._event === "log_gap");
      assert.equal(gaps.length, outages, `a gap per outage: ${timeline()}`);
      assert.ok(gaps.every((g) => g.reason === "bus_outage"));
      // What the client would do: backfill every gap's range from the history.
      const got = new Set(received().map((e) => e.id));
      let backfilled = 0;
      for (const gap of gaps) {
        for (
          const id of await historyBetween(client, gap.after as string | null, gap.until as string)
        ) {
          if (!got.has(id)) backfilled++;
          got.add(id);
        }
      }
      const first = received()[0]!.id;
      const last = received().at(-1)!.id;
      const history = [first, ...await historyBetween(client, first, last)];
      const missing = history.filter((id) => !got.has(id));
      const where = (id: string) => {
        const r = received().map((e) => e.id);
        const prev = r.filter((x) => compareIds(x, id) < 0).at(-1);
        const next = r.find((x) => compareIds(x, id) > 0);
        return `${id} (received before: ${prev}, after: ${next})`;
      };
      assert.deepEqual(
        missing,
        [],
        `lost: ${missing.slice(0, 5).map(where).join("; ")} of ${missing.length}; gaps ${
          JSON.stringify(gaps.map((g) => [g.after, g.until]))
        } ${timeline()}`,
      );
      assert.ok(backfilled > 0, "the outages did lose live events, found again by the backfill");
      // Gap notices come before the first event after each outage, never after it.
      for (const gap of gaps) {
        const at = client.frames.indexOf(gap);
        const next = client.frames.slice(at + 1).find((f) => f._event === "log_other");
        if (next === undefined) continue;
        const firstAfter = (next.events as LogEvent[])[0]!.id;
        assert.ok(
          compareIds(gap.until as string, firstAfter) < 0,
          "the gap ends before what follows",
        );
      }
      await recordFigures("outage_gaps", {
        outages,
        gaps: gaps.length,
        received: received().length,
        backfilled,
        history: history.length,
      });
    } finally {
      publishing = false;
      if (brokerDown) await rabbitmqctl("start_app").catch(() => {});
      await traffic;
      await client.close();
      await node.shutdown(1000);
      await service.stop();
      await backendBus.shutdown();
      await deleteQueues(`${ns}.gateway.revocations`);
    }
  },
});
