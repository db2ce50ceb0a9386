/**
 * Hostile clients against a production node in its own process, measured
 * from outside: the server's resident memory read from `/proc`, what it
 * closed read from its `/metrics`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { freePort } from "../testing/free_port.ts";
import { sleep } from "../testing/wait_for.ts";
import { dataset, TEST_SECRET, tokenFor } from "./_helpers/node.ts";
import { ChildProcess, metric, waitForReady } from "./_helpers/process.ts";
import { RawWs } from "./_helpers/raw_ws.ts";
import { recordFigures } from "./_helpers/figures.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const MiB = 1024 * 1024;
const BIG = DEMO_GUILD_IDS.bigGuild;
const MEMBER = dataset().demoUsers.member.id;

/** A production node of its own, as an attacker meets it. */
async function productionNode(env: Record<string, string> = {}) {
  const port = freePort();
  const node = ChildProcess.start("main.ts", {
    GATEWAY_ENV: "production",
    JWT_SECRET: TEST_SECRET,
    ALLOWED_ORIGINS: "https://archit.us",
    PORT: String(port),
    HEARTBEAT_SECONDS: "5",
    DEMO_LOG_RATE: "0",
    DEMO_POOL_UPDATE_SECONDS: "0",
    LOG_LEVEL: "warn",
    ...env,
  });
  const base = new URL(`http://127.0.0.1:${port}/`);
  await waitForReady(new URL("/readyz", base).href);
  return { node, base, ws: new URL(`ws://127.0.0.1:${port}/gateway`) };
}

/** Reads the big guild's member pool once as a well-behaved client (warms the node). */
async function readBigPool(ws: URL, cookie: string): Promise<number> {
  const c = await WsClient.connect(ws.href, { cookie });
  const chunks = await c.request({
    _event: "pool_all_request",
    _seq: 1,
    type: "member",
    guild_id: BIG,
  }, 20_000);
  await c.close();
  return chunks.reduce((n, f) => n + (f.data as unknown[]).length, 0);
}

/** Settles, then the server's RSS. */
async function settledRss(node: ChildProcess): Promise<number> {
  await sleep(1000);
  return node.rss();
}

Deno.test({
  name:
    "clients that never read while asking for the largest pool twice a second are closed, memory bounded",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { node, base, ws } = await productionNode();
    const cookie = `token=${await tokenFor(MEMBER)}`;
    const attackers: RawWs[] = [];
    try {
      for (let i = 0; i < 3; i++) assert.equal(await readBigPool(ws, cookie), 10_000);
      const rounds: Array<{ clients: number; growthMiB: number; closed: number }> = [];
      for (const [count, limitMiB] of [[1, 32], [10, 100]] as const) {
        const before = await settledRss(node);
        const closedBefore = await metric(base, "gateway_connections_closed_total");
        const round: RawWs[] = [];
        for (let i = 0; i < count; i++) round.push(await RawWs.connect(ws, { cookie }));
        attackers.push(...round);
        let peak = before;
        let seq = 0;
        const started = Date.now();
        // Twice a second, each asks again, never reading a byte of the answers.
        while (Date.now() - started < 60_000) {
          seq++;
          await Promise.all(
            round.map((a) =>
              a.send(
                JSON.stringify({
                  _event: "pool_all_request",
                  _seq: seq,
                  type: "member",
                  guild_id: BIG,
                }),
              )
                .catch(() => {})
            ),
          );
          peak = Math.max(peak, node.rss());
          const closed = await metric(base, "gateway_connections_closed_total") - closedBefore;
          if (closed >= count) break;
          await sleep(500);
        }
        const closed = await metric(base, "gateway_connections_closed_total") - closedBefore;
        const growthMiB = (peak - before) / MiB;
        rounds.push({ clients: count, growthMiB: Math.round(growthMiB), closed });
        assert.equal(closed, count, `every never-reading client was closed (${count})`);
        assert.ok(
          growthMiB <= limitMiB,
          `${count} client(s): RSS +${growthMiB.toFixed(1)} MiB (limit ${limitMiB})`,
        );
        for (const a of round) a.close();
        // A reader beside them was never hurt.
        assert.equal(await readBigPool(ws, cookie), 10_000);
      }
      await recordFigures("abuse_memory", { rounds });
    } finally {
      for (const a of attackers) a.close();
      await node.stop();
    }
  },
});
