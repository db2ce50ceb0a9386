import type { Bus, Subscription } from "../gateway/bus/mod.ts";
import { serveBackend } from "../gateway/backend/backend_server.ts";
import { createDemoDataset, type DemoDataset } from "./dataset/dataset.ts";
import { BotChannel } from "./bot_channel.ts";
import { DemoBackend } from "./demo_backend.ts";
import { DemoLogTraffic } from "./traffic/demo_log_traffic.ts";
import { DemoPoolTraffic } from "./traffic/demo_pool_traffic.ts";
import { GuildChanges } from "./traffic/guild_changes.ts";

interface DemoServiceOptions {
  readonly shards: number;
  readonly dataset?: DemoDataset;
  /** Log events per second in total; 0 = none. */
  readonly logRate: number;
  /** Seconds between pool changes; 0 = none. */
  readonly poolUpdateSeconds: number;
  /** Opens the dashboard's bot channel in the demo guilds (development). */
  readonly botChannel?: boolean;
}

/** A running demo backend: the shard RPC served on the bus, and its traffic. */
interface DemoService {
  readonly backend: DemoBackend;
  readonly poolTraffic: DemoPoolTraffic;
  readonly logTraffic: DemoLogTraffic;
  /** Membership and permission changes, published as a shard would. */
  readonly changes: GuildChanges;
  stop(): Promise<void>;
}

/**
 * Starts the demo backend on `bus`: answers every shard queue with the
 * original RPC body format, and publishes pool updates and the log stream.
 * Used in-process by the embedded mode and as its own process
 * (`deno task backend`) in the distributed one.
 */
export async function startDemoService(
  bus: Bus,
  options: DemoServiceOptions,
): Promise<DemoService> {
  const backend = new DemoBackend(options.dataset ?? createDemoDataset());
  const served: Subscription = await serveBackend(bus, backend, { shards: options.shards });
  const changes = new GuildChanges(backend, bus);
  if (options.botChannel === true) backend.openBotChannel(new BotChannel(backend.guilds, changes));
  const poolTraffic = new DemoPoolTraffic(backend, bus, changes);
  const logTraffic = new DemoLogTraffic(backend, bus);
  poolTraffic.start(options.poolUpdateSeconds * 1000);
  logTraffic.start(options.logRate);
  return {
    backend,
    poolTraffic,
    logTraffic,
    changes,
    stop: async () => {
      poolTraffic.stop();
      logTraffic.stop();
      await served.unsubscribe();
    },
  };
}
