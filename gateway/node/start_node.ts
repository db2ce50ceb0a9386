import type { Hono } from "hono";
import { BackendRpc, type CallObserver } from "../backend/backend_rpc.ts";
import { ArchitusBackend } from "../backend/backend_architus.ts";
import { AmqpBus, type Bus, MemoryBus } from "../bus/mod.ts";
import type { GatewayConfig } from "../config.ts";
import { createApp, metricsApp } from "../http/app.ts";
import { serveHttp } from "../http/http_server.ts";
import { upgradeListener } from "../http/upgrade.ts";
import { Diagnostics } from "../observability/diagnostics.ts";
import { Metrics } from "../observability/metrics.ts";
import { Gateway } from "./gateway.ts";
import { gatewayRpcFor } from "./gateway_rpc.ts";

/** Something that runs beside a node and stops before it (the embedded demo backend). */
export interface Companion {
  stop(): Promise<void>;
}

export interface NodeOptions {
  readonly config: GatewayConfig;
  readonly diagnostics?: Diagnostics;
  /** The bus, already started; by default one from the configuration (`createBus`), started here. */
  readonly bus?: Bus;
  /** Services on the same bus that stop once the node has drained (first to last). */
  readonly companions?: readonly Companion[];
  /** Adds routes (pages) to the app before serving. */
  readonly mount?: (app: Hono, gateway: Gateway) => void | Promise<void>;
}

/** How a node stops: see `Gateway.shutdown`. */
export type ShutdownOptions = number | { preStopMs?: number; drainMs?: number; graceMs?: number };

/** A running gateway node. */
export interface RunningNode {
  readonly url: URL;
  readonly gateway: Gateway;
  readonly bus: Bus;
  readonly metrics: Metrics;
  /** Where `/metrics` is served when `METRICS_PORT` sets it apart. */
  readonly metricsUrl: URL | undefined;
  /**
   * Stops: unready, serving on for `preStopMs`, clients told to reconnect
   * elsewhere over `drainMs`, then everything released (see
   * `Gateway.shutdown`). A number is a grace period alone.
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
}

/** The bus the configuration asks for: RabbitMQ with `AMQP_URL`, else in memory. */
export function createBus(config: GatewayConfig, diagnostics: Diagnostics): Bus {
  if (config.amqpUrl === undefined) {
    return new MemoryBus();
  }
  return new AmqpBus({
    url: config.amqpUrl,
    name: `gateway:${config.busNamespace}:${config.nodeId}`,
    namespace: config.busNamespace,
    onError: (message, fields) => diagnostics.warn(message, fields),
  });
}

/**
 * Builds and serves one node: the backend reached over the bus with the
 * shard RPC, the gateway, and its HTTP app on `Deno.serve`. The gateway
 * always reaches the backend through the bus, so the embedded mode (a demo
 * backend serving the same in-memory bus) runs the same RPC path as the
 * distributed one.
 */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const config = options.config;
  const diagnostics = options.diagnostics ??
    new Diagnostics({ level: config.logLevel, fields: { node: config.nodeId } });
  let bus = options.bus;
  if (bus === undefined) {
    bus = createBus(config, diagnostics);
    await bus.start();
  }
  const calls: { observe?: CallObserver } = {};
  const observe: CallObserver = (method, seconds, outcome) =>
    calls.observe?.(method, seconds, outcome);
  const backendOptions = { shards: config.shards, timeoutMs: config.backendTimeoutMs, observe };
  // BACKEND_PROTOCOL=architus: the running Architus shards, called as they are.
  const backend = config.dropIn.backendProtocol === "architus"
    ? new ArchitusBackend(bus, { ...backendOptions, discordApiBase: config.dropIn.discordApiBase })
    : new BackendRpc(bus, backendOptions);
  const gateway = new Gateway({
    config,
    bus,
    backend,
    diagnostics,
    healthProbes: Array.from({ length: backend.shards }, (_, n) => ({
      name: `shard_rpc_${n}`,
      probe: (signal: AbortSignal) => backend.pingShard(n, signal),
    })),
  });
  const amqp = bus instanceof AmqpBus ? bus : undefined;
  const metrics = new Metrics(gateway, {
    busReconnects: () => amqp?.reconnects ?? 0,
    nodeId: config.nodeId,
    commit: Deno.env.get("BUILD_COMMIT") ?? "unknown",
  });
  calls.observe = metrics.observeCall;
  await gateway.start();
  // The REST API's register_nonce / demote_connection, answered by every node.
  const gatewayRpc = gatewayRpcFor(gateway);
  await gatewayRpc.start();
  const separateMetrics = config.metricsPort !== undefined;
  const app = createApp(gateway, separateMetrics ? undefined : metrics);
  await options.mount?.(app, gateway);

  const server = await serveHttp({
    hostname: config.host,
    port: config.port,
    fetch: app.fetch,
    upgrade: upgradeListener(gateway),
    handshakeTimeoutMs: config.connections.handshakeTimeoutMs,
  });
  const addr = server.addr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const url = new URL(`http://${host}:${addr.port}/`);
  let metricsServer: Deno.HttpServer | undefined;
  let metricsUrl: URL | undefined;
  if (separateMetrics) {
    const metricsListening = Promise.withResolvers<Deno.NetAddr>();
    metricsServer = Deno.serve({
      hostname: config.metricsHost,
      port: config.metricsPort,
      onListen: (addr) => metricsListening.resolve(addr as Deno.NetAddr),
    }, metricsApp(metrics).fetch);
    const at = await metricsListening.promise;
    const metricsHost = at.hostname.includes(":") ? `[${at.hostname}]` : at.hostname;
    metricsUrl = new URL(`http://${metricsHost}:${at.port}/metrics`);
  }
  diagnostics.info("listening", { url: url.href, metrics: metricsUrl?.href ?? "/metrics" });

  const running = bus;
  let stopping: Promise<void> | undefined;
  const shutdown = (how: ShutdownOptions = 5000) =>
    stopping ??= (async () => {
      await gatewayRpc.stop();
      await gateway.shutdown(how);
      await server.shutdown();
      await metricsServer?.shutdown();
      for (const companion of options.companions ?? []) await companion.stop();
      await running.shutdown();
    })();
  return { url, gateway, bus: running, metrics, metricsUrl, shutdown };
}
