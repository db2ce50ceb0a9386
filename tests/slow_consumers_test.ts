import assert from "node:assert/strict";
import { RawWs } from "./_helpers/raw_ws.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import type { TestNode } from "./_helpers/node.ts";
import { recordFigures } from "./_helpers/figures.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;

interface SwarmResult {
  connected: number;
  events: number;
  frames: number;
  p50: number;
  p99: number;
  max: number;
}

/** Runs 900 readers in a child process while `rate` events per second are published. */
async function measureReaders(
  node: TestNode,
  cookie: string,
  rate: number,
): Promise<SwarmResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_helpers/reader_swarm.ts", import.meta.url).pathname,
      wsUrl(node),
      cookie,
      DEMO,
      "900",
      "3000",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const publishing = (async () => {
    const until = Date.now() + 3200;
    while (Date.now() < until) {
      await node.logTraffic!.publish(rate / 20, DEMO);
      await sleep(50);
    }
  })();
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  await publishing;
  await child.status;
  const line = text.trim().split("\n").at(-1)!;
  return JSON.parse(line) as SwarmResult;
}

Deno.test({
  name: "100 clients that never read do not slow 900 readers, and memory stays bounded",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // A thousand clients from one address: the per-address cap is lifted for them.
    await withNode({ LOG_SLOW_CLOSE_MS: "60000", MAX_CONNECTIONS_PER_IP: "2000" }, async (node) => {
      const cookie = `dev-token=${await tokenFor(users.architusAdmin.id)}`;
      const rate = 500; // events per second into one guild: 450k deliveries/s offered, in batches
      const normal = await measureReaders(node, cookie, rate);
      assert.equal(normal.connected, 900);
      await waitFor(() => node.gateway.connections.size === 0, { timeoutMs: 10_000 });
      const rssBefore = Deno.memoryUsage().rss;
      const stuck: RawWs[] = [];
      try {
        for (let i = 0; i < 100; i++) {
          const raw = await RawWs.connect(new URL("/gateway", node.url), { cookie });
          await raw.send(
            JSON.stringify({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true }),
          );
          stuck.push(raw);
        }
        await waitFor(() => node.gateway.counts().spectators === 100);
        // Fill the kernel's socket buffers (a few MB each on loopback) so the gateway sees them lag.
        const lagCount = () =>
          [...node.gateway.streams.logStreams()].filter((d) => d.lagging).length;
        for (let i = 0; i < 100 && lagCount() < 100; i++) {
          await node.logTraffic!.publish(1000, DEMO);
          await sleep(20);
        }
        // One p99 on two shared cores (the node, the publisher and the 900 readers' process)
        // can catch a pause of the host: a run over the band is measured once more, with the
        // non-readers still stuck, and the better of the two counts. A real slowdown fails both.
        const band = Math.max(2 * normal.p99, normal.p99 + 100);
        let loaded = await measureReaders(node, cookie, rate);
        assert.equal(loaded.connected, 900);
        if (loaded.p99 > band) {
          const again = await measureReaders(node, cookie, rate);
          assert.equal(again.connected, 900);
          if (again.p99 < loaded.p99) loaded = again;
        }
        const lagging = [...node.gateway.streams.logStreams()].filter((d) => d.lagging).length;
        const stats = node.gateway.streams.logs.counters;
        const rssGrowth = (Deno.memoryUsage().rss - rssBefore) / 1024 / 1024;
        const held = [...node.gateway.streams.logStreams()].reduce((n, d) => n + d.heldCount, 0);
        // The non-readers fell behind and are held within their bound ...
        assert.ok(
          lagging >= 90,
          `${lagging} non-readers lagging (held ${stats.held}, dropped ${stats.dropped})`,
        );
        assert.ok(held <= 100 * node.gateway.config.logs.maxHeld, `held ${held}`);
        // ... while the readers stay within their normal band (ratios of one run).
        assert.ok(
          loaded.p99 <= band,
          `readers p99 ${loaded.p99} ms with non-readers vs ${normal.p99} ms without (band ${band})`,
        );
        assert.ok(
          loaded.events >= normal.events * 0.8,
          `readers kept receiving (${loaded.events} vs ${normal.events})`,
        );
        assert.ok(rssGrowth < 600, `rss grew ${rssGrowth.toFixed(0)} MiB`);
        await recordFigures("slow_consumers", {
          normal,
          loaded,
          lagging,
          held,
          rssGrowthMiB: Math.round(rssGrowth),
        });
      } finally {
        for (const raw of stuck) raw.close();
      }
    });
  },
});
