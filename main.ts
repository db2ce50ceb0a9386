import { ConfigError, createBus, Diagnostics, loadConfig, startNode } from "./gateway/mod.ts";
import { startDemoService } from "./demo/mod.ts";
import { mountRoutes } from "./routes/mod.ts";
import { MissingBuildError, readManifest } from "./routes/asset_manifest.ts";
import type { GatewayConfig } from "./gateway/mod.ts";
import type { IslandAssets } from "./routes/assets.ts";

/**
 * Composition root: config → bus → (embedded demo backend) → node (backend
 * client, gateway, HTTP) → serve → signals. Without `AMQP_URL` the demo
 * backend serves the node's in-memory bus in this process.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) {
      new Diagnostics().error(error.message);
      Deno.exit(2);
    }
    throw error;
  }
  const diagnostics = new Diagnostics({ level: config.logLevel, fields: { node: config.nodeId } });
  if (config.usingDevSecret) {
    diagnostics.warn(
      "JWT_SECRET is not set: using the DEVELOPMENT secret. Anyone can mint tokens. " +
        "Set JWT_SECRET (and GATEWAY_ENV=production) for real use.",
    );
  }
  const assets = await pageAssets(config, diagnostics);
  const bus = createBus(config, diagnostics);
  try {
    await bus.start();
  } catch (error) {
    diagnostics.error(brokerFailure(error));
    Deno.exit(3);
  }
  const embedded = config.amqpUrl === undefined
    ? await startDemoService(bus, {
      shards: config.shards,
      logRate: config.demoLogRate,
      poolUpdateSeconds: config.demoPoolUpdateSeconds,
      botChannel: config.environment === "development",
    })
    : undefined;
  const node = await startNode({
    config,
    diagnostics,
    bus,
    companions: embedded === undefined ? [] : [embedded],
    mount: (app) => mountRoutes(app, { assets, config }),
  });
  diagnostics.info("serving", { url: node.url.href, embedded: embedded !== undefined });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      diagnostics.warn("second signal: exiting now", { signal });
      Deno.exit(1);
    }
    stopping = true;
    diagnostics.info("shutting down", { signal });
    // SIGTERM is a deploy: unready first, then clients moved over the drain window.
    // SIGINT is someone at a terminal: tell every client at once.
    await node.shutdown(
      signal === "SIGTERM"
        ? { preStopMs: config.shutdown.preStopMs, drainMs: config.shutdown.drainMs, graceMs: 5000 }
        : { graceMs: 1000 },
    );
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => void stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => void stop("SIGTERM"));
}

/** One line that says which broker failure stopped the start. */
function brokerFailure(error: unknown): string {
  const text = describe(error);
  if (/ACCESS_REFUSED|auth|403/i.test(text)) {
    return "broker refused the credentials in AMQP_URL (ACCESS_REFUSED): check user and password";
  }
  if (/ECONNREFUSED|refused/i.test(text)) {
    return "broker not reachable at AMQP_URL (connection refused): is RabbitMQ running there?";
  }
  if (/ENOTFOUND|getaddrinfo|dns/i.test(text)) {
    return "broker host in AMQP_URL does not resolve";
  }
  if (/vhost|NOT_ALLOWED|530/i.test(text)) {
    return "broker refused the virtual host in AMQP_URL (NOT_ALLOWED)";
  }
  return `could not connect to the broker at AMQP_URL: ${text.slice(0, 200)}`;
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 5; e = e.cause) {
    parts.push(`${e.name}: ${e.message}`, String((e as { code?: unknown }).code ?? ""));
  }
  return parts.join(" | ");
}

if (import.meta.main) await main();

/**
 * The pages' assets. A development start builds them (a second or so), so a
 * fresh clone serves working pages with no separate step; a production start
 * only reads what `deno task build` wrote, so it works on a read-only
 * filesystem and several nodes can share one directory.
 */
async function pageAssets(config: GatewayConfig, diagnostics: Diagnostics): Promise<IslandAssets> {
  if (!config.production) {
    const { buildIslands } = await import("./build.ts");
    return await buildIslands({ outDir: config.assetsDir });
  }
  try {
    return await readManifest(config.assetsDir);
  } catch (error) {
    if (!(error instanceof MissingBuildError)) throw error;
    diagnostics.error(error.message);
    Deno.exit(2);
  }
}
