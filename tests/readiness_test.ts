/**
 * Readiness suits a load balancer: local and immediate whatever the
 * backend does, per-shard backend health as a cached signal, and backend
 * trouble making the node unready only when configured so.
 *
 * @module
 */
import assert from "node:assert/strict";
import { MemoryBus } from "../gateway/bus/mod.ts";
import { waitFor } from "../testing/wait_for.ts";
import { startTestNode } from "./_helpers/node.ts";
import { serveSlowBackend } from "./_helpers/slow_backend.ts";

async function readyz(
  url: URL,
): Promise<
  {
    status: number;
    tookMs: number;
    body: Record<string, unknown> & { shards: Record<string, { ok: boolean }> };
  }
> {
  const started = performance.now();
  const r = await fetch(new URL("/readyz", url));
  const body = await r.json();
  return { status: r.status, tookMs: performance.now() - started, body };
}

Deno.test("/readyz answers in milliseconds with per-shard health while the backend hangs, and stays ready by default", async () => {
  const bus = new MemoryBus();
  await bus.start();
  // A backend whose pings never answer within the deadline: every probe times out.
  const backend = await serveSlowBackend(bus, { delayMs: 2500, slow: (m) => m === "ping" });
  const node = await startTestNode(
    { BACKEND_TIMEOUT_MS: "1000", HEALTH_INTERVAL_SECONDS: "0.2" },
    { bus, embeddedBackend: false },
  );
  try {
    await waitFor(() => node.gateway.health.snapshot()["shard_rpc_3"]!.checkedAt > 0, {
      timeoutMs: 5000,
      message: "every shard was probed",
    });
    const first = await readyz(node.url);
    assert.ok(first.tookMs < 200, `answered in ${first.tookMs.toFixed(0)} ms`);
    assert.equal(first.status, 200, "a backend fault is not a reason to leave the balancer");
    assert.equal(first.body.backend, false);
    assert.deepEqual(Object.keys(first.body.shards).sort(), [
      "shard_rpc_0",
      "shard_rpc_1",
      "shard_rpc_2",
      "shard_rpc_3",
    ]);
    assert.ok(Object.values(first.body.shards).every((s) => !(s as { ok: boolean }).ok));
    for (let i = 0; i < 20; i++) assert.ok((await readyz(node.url)).tookMs < 200);
    assert.equal(backend.slowCalls() < 200, true, "probes are periodic, not one per /readyz");
  } finally {
    await node.shutdown(1000);
    await backend.stop();
  }
});

Deno.test("/readyz reports a healthy backend shard by shard", async () => {
  const node = await startTestNode({ HEALTH_INTERVAL_SECONDS: "0.2" });
  try {
    await waitFor(() => node.gateway.health.healthy, { timeoutMs: 3000 });
    const r = await readyz(node.url);
    assert.equal(r.status, 200);
    assert.equal(r.body.backend, true);
    assert.equal(r.body.bus, true);
    assert.equal(r.body.draining, false);
    assert.ok(Object.values(r.body.shards).every((s) => (s as { ok: boolean }).ok));
  } finally {
    await node.shutdown(1000);
  }
});
