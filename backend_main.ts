import { AmqpBus } from "./gateway/bus/mod.ts";
import { Diagnostics } from "./gateway/mod.ts";
import { loadDemoConfig, startDemoService } from "./demo/mod.ts";

/**
 * `deno task backend`: the demo backend as its own process on RabbitMQ. It
 * answers the shard RPC on `shard_rpc_0 … shard_rpc_{NUM_SHARDS-1}` and
 * publishes the demo pool updates and log stream, for gateway nodes started
 * with the same `AMQP_URL`. It reads only what it uses (see `loadDemoConfig`).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadDemoConfig(Deno.env.toObject());
  } catch (error) {
    new Diagnostics().error((error as Error).message);
    Deno.exit(2);
  }
  const diagnostics = new Diagnostics({ level: config.logLevel, fields: { service: "backend" } });
  const bus = new AmqpBus({
    url: config.amqpUrl,
    name: "architus-demo-backend",
    namespace: config.busNamespace,
    onError: (message, fields) => diagnostics.warn(message, fields),
  });
  await bus.start();
  bus.onReadyChange((ready) => diagnostics.info(ready ? "broker connected" : "broker lost"));
  const service = await startDemoService(bus, {
    shards: config.shards,
    logRate: config.logRate,
    poolUpdateSeconds: config.poolUpdateSeconds,
    botChannel: config.botChannel,
  });
  diagnostics.info("demo backend serving", { shards: config.shards, log_rate: config.logRate });
  const stop = async () => {
    await service.stop();
    await bus.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => void stop());
  Deno.addSignalListener("SIGTERM", () => void stop());
}

if (import.meta.main) await main();
