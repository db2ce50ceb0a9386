import { ConfigError, Diagnostics, loadConfig, startNode } from "./gateway/mod.ts";
import { buildIslands } from "./build.ts";
import { mountRoutes } from "./routes/mod.ts";

/** Composition root: config → node (bus, backend, gateway, HTTP) → serve → signals. */
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
  const node = await startNode({
    config,
    diagnostics,
    mount: (app) => mountRoutes(app, { assets, config }),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    diagnostics.info("shutting down", { signal });
    await node.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => void stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => void stop("SIGTERM"));
}

if (import.meta.main) await main();
