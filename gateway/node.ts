import type { Hono } from "hono";
import { BackendRpc } from "./backend/backend_rpc.ts";
import type { Backend } from "./backend/backend.ts";
import {
  type DemoBackend,
  type DemoDataset,
  type DemoLogTraffic,
  type DemoPoolTraffic,
  startDemoService,
} from "../demo/mod.ts";
import { AmqpBus, type Bus, MemoryBus } from "./bus/mod.ts";
import type { GatewayConfig } from "./config.ts";
import { Diagnostics } from "./diagnostics.ts";
import { Gateway } from "./gateway.ts";
import { createApp } from "./http/app.ts";
import { Metrics } from "./metrics.ts";

export interface NodeOptions {
  readonly config: GatewayConfig;
  readonly diagnostics?: Diagnostics;
  /** The bus; a fresh in-memory one by default. */
  readonly bus?: Bus;
  /** Run the demo backend in this process, served over the bus (default: only without AMQP_URL). */
  readonly embeddedBackend?: boolean;
  /** The demo dataset (default: the seeded one with 10,000 members in the big guild). */
  readonly dataset?: DemoDataset;
  /** Adds routes (pages) to the app before serving. */
  readonly mount?: (app: Hono, gateway: Gateway) => void | Promise<void>;
}

/** A running gateway node. */
export interface RunningNode {
  readonly url: URL;
  readonly gateway: Gateway;
  readonly bus: Bus;
  /** The embedded demo backend, when there is one. */
  readonly demo: DemoBackend | undefined;
  readonly poolTraffic: DemoPoolTraffic | undefined;
  readonly logTraffic: DemoLogTraffic | undefined;
  readonly metrics: Metrics;
  /** Stops accepting, tells clients to reconnect, drains, releases everything. */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Builds and serves one node: bus, (embedded) demo backend served over the
 * bus with the shard RPC, the gateway, and its HTTP app on `Deno.serve`.
 * The gateway always reaches the backend through the bus, so the embedded
 * mode runs the same RPC path as the distributed one.
 */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const config = options.config;
  const diagnostics = options.diagnostics ?? new Diagnostics({ level: config.logLevel });
  const bus = options.bus ??
    (config.amqpUrl !== undefined
      ? new AmqpBus({
        url: config.amqpUrl,
        name: `gateway:${config.port}`,
        namespace: config.busNamespace,
      })
      : new MemoryBus());
  await bus.start();

  const service = (options.embeddedBackend ?? config.amqpUrl === undefined)
    ? await startDemoService(bus, {
      shards: config.shards,
      dataset: options.dataset,
      logRate: config.demoLogRate,
      poolUpdateSeconds: config.demoPoolUpdateSeconds,
    })
    : undefined;
  // The backend reports call latency to the metrics, which need the gateway built from it.
  // deno-lint-ignore prefer-const
  let metrics: Metrics | undefined;
  const backend: Backend = new BackendRpc(bus, {
    shards: config.shards,
    timeoutMs: config.backendTimeoutMs,
    observe: (method, seconds, outcome) => metrics?.observeCall(method, seconds, outcome),
  });
  const gateway = new Gateway({ config, bus, backend, diagnostics });
  metrics = new Metrics(gateway, {
    busReconnects: () => (bus instanceof AmqpBus ? bus.reconnects : 0),
  });
  await gateway.start();
  const app = createApp(gateway, metrics);
  await options.mount?.(app, gateway);

  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
  }, app.fetch);
  const addr = await listening.promise;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const url = new URL(`http://${host}:${addr.port}/`);
  diagnostics.info("listening", { url: url.href, embedded: service !== undefined });

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs = 5000) =>
    stopping ??= (async () => {
      await service?.stop();
      await gateway.shutdown(graceMs);
      await server.shutdown();
      await bus.shutdown();
    })();
  return {
    url,
    gateway,
    bus,
    demo: service?.backend,
    poolTraffic: service?.poolTraffic,
    logTraffic: service?.logTraffic,
    metrics,
    shutdown,
  };
}
