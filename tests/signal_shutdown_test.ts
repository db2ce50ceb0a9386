import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { TEST_SECRET, tokenFor } from "./_helpers/node.ts";
import { freePort } from "../testing/free_port.ts";
import { waitForReady } from "./_helpers/process.ts";
import { dataset } from "./_helpers/node.ts";

Deno.test({
  name:
    "SIGTERM: the process stops accepting, tells clients to reconnect (1012), drains and exits 0",
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
      },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      await waitForReady(`http://127.0.0.1:${port}/readyz`);
      const cookie = `dev-token=${await tokenFor(dataset().demoUsers.architusAdmin.id)}`;
      const clients = await Promise.all(
        [0, 1, 2].map(() => WsClient.connect(`ws://127.0.0.1:${port}/gateway`, { cookie })),
      );
      await clients[0]!.ask({
        _event: "spectate",
        _seq: 1,
        guild_id: "555822989178961927",
        include_logs: true,
      });
      child.kill("SIGTERM");
      for (const c of clients) assert.equal((await c.closed).code, 1012);
      const status = await child.status;
      assert.equal(status.code, 0, "exits cleanly");
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
