import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { TEST_SECRET, tokenFor } from "./_helpers/node.ts";
import { freePort } from "../testing/free_port.ts";
import { waitForReady } from "./_helpers/process.ts";
import { dataset } from "./_helpers/node.ts";

Deno.test({
  name:
    "SIGTERM: unready at once, serving through the pre-stop delay, clients moved over the drain window, exit 0",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "main.ts"],
      cwd: new URL("../", import.meta.url),
      env: {
        GATEWAY_ENV: "development",
        PORT: String(port),
        JWT_SECRET: TEST_SECRET,
        LOG_LEVEL: "info",
        DEMO_LOG_RATE: "50",
        SHUTDOWN_PRESTOP_SECONDS: "1",
        SHUTDOWN_DRAIN_SECONDS: "2",
      },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      await waitForReady(`http://127.0.0.1:${port}/readyz`);
      const url = `ws://127.0.0.1:${port}/gateway`;
      const cookie = `dev-token=${await tokenFor(dataset().demoUsers.architusAdmin.id)}`;
      const clients = await Promise.all(
        Array.from({ length: 30 }, () => WsClient.connect(url, { cookie })),
      );
      await clients[0]!.ask({
        _event: "spectate",
        _seq: 1,
        guild_id: "555822989178961927",
        include_logs: true,
      });
      const closedAt: number[] = [];
      for (const c of clients) void c.closed.then(() => closedAt.push(Date.now()));
      const t0 = Date.now();
      child.kill("SIGTERM");
      // Unready at once, while it goes on serving.
      let status = 200;
      while (status !== 503 && Date.now() - t0 < 500) {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        status = r.status;
        await r.body?.cancel();
      }
      assert.equal(status, 503, "unready within 500 ms of SIGTERM");
      assert.equal(
        (await clients[1]!.ask({ _event: "session", _seq: 2 }))._event,
        "session_return",
      );
      const late = await WsClient.connect(url, { cookie });
      clients.push(late);
      void late.closed.then(() => closedAt.push(Date.now()));
      assert.ok(Date.now() - t0 < 1000, "still in the pre-stop delay");
      for (const c of clients) assert.equal((await c.closed).code, 1012);
      const offsets = closedAt.map((t) => t - t0).sort((a, b) => a - b);
      assert.ok(offsets[0]! >= 900, `no close before the pre-stop delay (${offsets[0]} ms)`);
      assert.ok(offsets.at(-1)! <= 3600, `all closed within the window (${offsets.at(-1)} ms)`);
      assert.ok(offsets.at(-1)! - offsets[0]! >= 1000, `closes spread (${offsets.join(",")})`);
      const buckets = new Map<number, number>();
      for (const o of offsets) {
        buckets.set(Math.floor(o / 500), (buckets.get(Math.floor(o / 500)) ?? 0) + 1);
      }
      assert.ok(
        Math.max(...buckets.values()) <= offsets.length / 2,
        `no half-second takes half the reconnects (${[...buckets.entries()]})`,
      );
      const exit = await child.status;
      assert.equal(exit.code, 0, "exits cleanly");
      const log = new TextDecoder().decode(
        (await new Response(child.stderr).arrayBuffer()) as ArrayBuffer,
      );
      assert.match(log, /shutting down/);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), "no longer accepting");
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
    }
  },
});
