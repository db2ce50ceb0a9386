import assert from "node:assert/strict";
import { startFakeGateway } from "../../client/_fake_gateway_test.ts";
import { GatewayClient, type LogEvent } from "../../client/mod.ts";
import { sleep, waitFor } from "../../testing/wait_for.ts";
import { createDashboardStore } from "./dashboard_store.ts";
import { LogFeed, shiftId } from "./log_feed.ts";

const GUILD = "555822989178961927";
const BASE = 1_576_000_000_000_000_000n;

function ev(n: number): LogEvent {
  return {
    id: String(BASE + BigInt(n)),
    timestamp: 1_700_000_000_000 + n,
    type: 2003,
    origin: 1,
    guild_id: GUILD,
    content: `message ${n}`,
    private: false,
  };
}

const numbers = (feed: LogFeed) => feed.store.all().map((e) => Number(BigInt(e.id) - BASE));

function spectateReturn(seq: unknown, extra: object = {}) {
  return {
    _event: "spectate_return",
    seq,
    guild_id: GUILD,
    tier: "architus_admin",
    permissions: 0x7ff,
    categories: ["pool", "log.public", "log.private"],
    logs: "granted",
    ...extra,
  };
}

function logsResponse(seq: unknown, events: LogEvent[], hasMore = false) {
  return { _event: "logs_response", seq, guild_id: GUILD, events, has_more: hasMore };
}

function setup() {
  const gw = startFakeGateway();
  const client = new GatewayClient({
    url: gw.url,
    random: () => 0,
    backoff: { baseMs: 5, maxMs: 20 },
    requestTimeoutMs: 1500,
  });
  const store = createDashboardStore(client);
  const feed = new LogFeed({ client, store, guildId: GUILD });
  return {
    gw,
    client,
    feed,
    /** Connects, starts the feed and takes its spectate from the first connection. */
    async join() {
      client.connect();
      await client.ready();
      const started = feed.start();
      const conn = await gw.connection(0);
      const spectate = await conn.take("spectate");
      return { started, conn, spectate };
    },
    async [Symbol.asyncDispose]() {
      feed.stop();
      await client.close();
      await gw.close();
    },
  };
}

Deno.test("shiftId() adds to ids beyond 2^53 exactly", () => {
  assert.equal(shiftId("18446744073709551614", 1), "18446744073709551615");
  assert.equal(shiftId("1576000000000000000", -1), "1575999999999999999");
});

Deno.test("LogFeed loads the newest page, merges live events, and fills a gap on request", async () => {
  await using t = setup();
  const { feed } = t;
  const { started, conn, spectate } = await t.join();
  assert.equal(spectate.guild_id, GUILD);
  assert.equal(spectate.include_logs, true);
  conn.send(spectateReturn(spectate._seq));
  const newest = await conn.take("logs_request");
  assert.equal(newest.limit, 60);
  assert.equal(newest.before, undefined);
  conn.send(logsResponse(newest._seq, [ev(3), ev(2), ev(1)]));
  await started;
  assert.equal(feed.state.phase, "live");
  assert.deepEqual(feed.state.categories, ["pool", "log.public", "log.private"]);

  conn.send({ _event: "log_other", guild_id: GUILD, events: [ev(4), ev(5)] });
  conn.send({ _event: "log_other", guild_id: "1", events: [ev(100)] });
  await waitFor(() => feed.store.size === 5);
  assert.deepEqual(numbers(feed), [1, 2, 3, 4, 5]);

  // The server dropped 6–8 for this connection and says so.
  conn.send({
    _event: "log_gap",
    guild_id: GUILD,
    after: ev(5).id,
    until: ev(8).id,
    reason: "slow_consumer",
  });
  conn.send({ _event: "log_other", guild_id: GUILD, events: [ev(9)] });
  await waitFor(() => feed.state.gaps.length === 1 && feed.store.size === 6);
  const gap = feed.state.gaps[0]!;
  assert.equal(gap.reason, "slow_consumer");
  const filling = feed.fillGap(gap.key);
  const fill = await conn.take("logs_request");
  assert.equal(fill.after, ev(5).id);
  assert.equal(fill.before, ev(9).id, "until is included");
  conn.send(logsResponse(fill._seq, [ev(8), ev(7), ev(6)]));
  await filling;
  assert.deepEqual(numbers(feed), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(feed.state.gaps, []);
});

Deno.test("LogFeed reloads the newest page when a resume could not be replayed", async () => {
  await using t = setup();
  const { gw, feed } = t;
  const { started, conn: first, spectate } = await t.join();
  first.send(spectateReturn(spectate._seq));
  const page = await first.take("logs_request");
  first.send(logsResponse(page._seq, [ev(2), ev(1)]));
  await started;
  first.send({ _event: "log_other", guild_id: GUILD, events: [ev(3), ev(4)] });
  await waitFor(() => feed.store.size === 4);

  // Replayed: the client resumes after the last event seen; nothing else to do.
  await first.close(4009, "slow");
  const second = await gw.connection(1);
  const resumed = await second.take("spectate");
  assert.equal(resumed.since, ev(4).id);
  second.send(spectateReturn(resumed._seq, { recovered: true }));
  second.send({ _event: "log_other", guild_id: GUILD, events: [ev(5)] });
  await waitFor(() => feed.store.size === 5);
  await sleep(50);
  assert.equal(second.count("logs_request"), 0);
  assert.equal(feed.state.reloads, 0);

  // Not replayed: the newest page is reloaded, and what it does not reach is a gap.
  await second.close(4009, "slow");
  const third = await gw.connection(2);
  const again = await third.take("spectate");
  assert.equal(again.since, ev(5).id);
  third.send(spectateReturn(again._seq, { recovered: false }));
  const reload = await third.take("logs_request");
  assert.equal(reload.before, undefined);
  const fresh = Array.from({ length: 10 }, (_, i) => ev(50 - i));
  third.send(logsResponse(reload._seq, fresh, true));
  await waitFor(() => feed.state.gaps.length === 1);
  assert.equal(feed.state.reloads, 1);
  const gap = feed.state.gaps[0]!;
  assert.deepEqual([gap.after, gap.until, gap.reason], [ev(5).id, ev(40).id, "not_recovered"]);
  assert.equal(feed.store.size, 15);
});

Deno.test("LogFeed asks no history when the logs are refused, and says why", async () => {
  await using t = setup();
  const { feed } = t;
  const { started, conn, spectate } = await t.join();
  conn.send(spectateReturn(spectate._seq, {
    tier: "member",
    permissions: 0x10,
    categories: ["pool"],
    logs: "refused",
  }));
  await started;
  assert.equal(feed.state.phase, "refused");
  assert.deepEqual(feed.state.categories, ["pool"]);
  await sleep(30);
  assert.equal(conn.count("logs_request"), 0);
  await feed.loadOlder();
  assert.equal(conn.count("logs_request"), 0, "load older stays off");
});
