/**
 * The demo backend: a seeded dataset of four guilds served as a shard would
 * serve them, the front page's mock Discord, and demo traffic (pool changes
 * and a log stream). It runs in the gateway's process (embedded mode) or as
 * its own (`deno task backend`), always reached over the bus with the shard
 * RPC.
 *
 * @module
 */
export {
  ARCHITUS_STAFF_ID,
  createDemoDataset,
  DEMO_GUILD_IDS,
  type DemoDataset,
} from "./dataset/dataset.ts";
export { DemoBackend } from "./demo_backend.ts";
export { startDemoService } from "./demo_service.ts";
export type { DemoLogTraffic } from "./traffic/demo_log_traffic.ts";
export type { DemoPoolTraffic } from "./traffic/demo_pool_traffic.ts";
