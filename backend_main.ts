import { AmqpBus } from "./gateway/bus/mod.ts";
import { ConfigError, Diagnostics, loadConfig } from "./gateway/mod.ts";
import { startDemoService } from "./demo/mod.ts";

/**
 * `deno task backend`: the demo backend as its own process on RabbitMQ. It
 * answers the shard RPC on `shard_rpc_0 … shard_rpc_{NUM_SHARDS-1}` and
 * publishes the demo pool updates and log stream, for gateway nodes started
 * with the same `AMQP_URL`.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ AMQP_URL: "amqp://guest:guest@127.0.0.1:5672", ...Deno.env.toObject() });
  } catch (error) {
    if (error instanceof ConfigError) {
      new Diagnostics().error(error.message);
      Deno.exit(2);
    }
    throw error;
  }
  const diagnostics = new Diagnostics({ level: config.logLevel, fields: { service: "backend" } });
  const bus = new AmqpBus({
    url: config.amqpUrl as string,
    name: "architus-demo-backend",
    namespace: config.busNamespace,
  });
  await bus.start();
  bus.onReadyChange((ready) => diagnostics.info(ready ? "broker connected" : "broker lost"));
  const service = await startDemoService(bus, {
    shards: config.shards,
    logRate: config.demoLogRate,
    poolUpdateSeconds: config.demoPoolUpdateSeconds,
  });
  diagnostics.info("demo backend serving", {
    shards: config.shards,
    log_rate: config.demoLogRate,
  });
  const stop = async () => {
    await service.stop();
    await bus.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => void stop());
  Deno.addSignalListener("SIGTERM", () => void stop());
}

if (import.meta.main) await main();
