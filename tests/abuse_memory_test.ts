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
import { builtAssetsDir } from "./_helpers/built_assets.ts";
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
    ASSETS_DIR: await builtAssetsDir(),
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

/** Opens a WebSocket by hand and sends one text frame header declaring `bytes`, then its payload. */
async function sendHugeFrame(ws: URL, bytes: number): Promise<void> {
  const conn = await Deno.connect({ hostname: ws.hostname, port: Number(ws.port) });
  try {
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await conn.write(new TextEncoder().encode(
      `GET /gateway HTTP/1.1\r\nHost: ${ws.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ));
    const head = new Uint8Array(14);
    head[0] = 0x81;
    head[1] = 0x80 | 127;
    new DataView(head.buffer).setBigUint64(2, BigInt(bytes));
    head.set([1, 2, 3, 4], 10);
    await conn.write(head);
    const chunk = new Uint8Array(1024 * 1024).fill(0x61 ^ 1);
    for (let sent = 0; sent < bytes; sent += chunk.length) await conn.write(chunk);
  } catch {
    // The server refused the frame and closed: what we expect.
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

Deno.test({
  name: "four anonymous 63 MiB frames are refused from their header: at most 16 MiB more RSS",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { node, base, ws } = await productionNode();
    try {
      const before = await settledRss(node);
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, node.rss());
      }, 20);
      for (let round = 0; round < 3; round++) {
        await Promise.all(Array.from({ length: 4 }, () => sendHugeFrame(ws, 63 * MiB)));
      }
      clearInterval(sampler);
      const growthMiB = (peak - before) / MiB;
      let refused = 0;
      for (let i = 0; i < 50 && refused < 12; i++) {
        refused = await metric(base, "gateway_oversize_closed_total");
        await sleep(100);
      }
      const codes = (await (await fetch(new URL("/metrics", base))).text()).split("\n")
        .filter((l) => l.startsWith("gateway_connections_closed_total")).join("; ");
      assert.equal(refused, 12, `each of the 12 frames closed its connection (1009): ${codes}`);
      assert.ok(growthMiB <= 16, `RSS +${growthMiB.toFixed(1)} MiB over 12 huge frames`);
      await recordFigures("huge_frames", { frames: 12, peakGrowthMiB: Math.round(growthMiB) });
    } finally {
      await node.stop();
    }
  },
});

Deno.test({
  name:
    "slow and silent sockets are closed within 10 s: trickled upgrade headers, connections that say nothing",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { node, ws } = await productionNode();
    const sockets: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const conn = await Deno.connect({ hostname: ws.hostname, port: Number(ws.port) });
        await conn.write(new TextEncoder().encode(`GET /gateway HTTP/1.1\r\nHost: ${ws.host}\r\n`));
        sockets.push(conn);
      }
      for (let i = 0; i < 50; i++) {
        sockets.push(await Deno.connect({ hostname: ws.hostname, port: Number(ws.port) }));
      }
      const started = Date.now();
      // One more header line every 2 s from the trickling ones, until the server hangs up.
      const closedAt = await Promise.all(sockets.map(async (conn, i) => {
        const buf = new Uint8Array(256);
        const trickle = i < 100
          ? setInterval(() => {
            conn.write(new TextEncoder().encode(`X-Slow-${Date.now()}: 1\r\n`)).catch(() => {});
          }, 2000)
          : undefined;
        try {
          while ((await conn.read(buf)) !== null) { /* a response would also do */ }
        } catch { /* reset */ }
        clearInterval(trickle);
        return Date.now() - started;
      }));
      const last = Math.max(...closedAt);
      assert.ok(last <= 10_000, `every socket closed by the server within 10 s (last ${last} ms)`);
      await recordFigures("slow_sockets", { sockets: sockets.length, lastClosedMs: last });
    } finally {
      for (const conn of sockets) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      await node.stop();
    }
  },
});
