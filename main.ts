import { ConfigError, createBus, Diagnostics, loadConfig, startNode } from "./gateway/mod.ts";
import { startDemoService } from "./demo/mod.ts";
import { buildIslands } from "./build.ts";
import { mountRoutes } from "./routes/mod.ts";

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
  const diagnostics = new Diagnostics({ level: config.logLevel });
  if (config.usingDevSecret) {
    diagnostics.warn(
      "JWT_SECRET is not set: using the DEVELOPMENT secret. Anyone can mint tokens. " +
        "Set JWT_SECRET (and GATEWAY_ENV=production) for real use.",
    );
  }
  // The island bundle is rebuilt at every start (a few hundred milliseconds), so a
  // fresh clone serves working pages with no separate build step.
  const assets = await buildIslands();
  const bus = createBus(config, diagnostics);
  await bus.start();
  const embedded = config.amqpUrl === undefined
    ? await startDemoService(bus, {
      shards: config.shards,
      logRate: config.demoLogRate,
      poolUpdateSeconds: config.demoPoolUpdateSeconds,
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

if (import.meta.main) await main();
