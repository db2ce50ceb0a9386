/**
 * The demo backend: a seeded dataset of four guilds served as a shard would
 * serve them, the front page's mock Discord, and demo traffic (pool changes
 * and a log stream). It runs in the gateway's process (embedded mode) or as
 * its own (`deno task backend`), always reached over the bus with the shard
 * RPC.
 *
 * @module
 */
export { createDemoDataset, type DemoDataset } from "./dataset/dataset.ts";
export { ARCHITUS_STAFF_ID, DEMO_GUILD_IDS } from "./dataset/demo_ids.ts";
export { DemoBackend } from "./demo_backend.ts";
export { startDemoService } from "./demo_service.ts";
export { type DemoConfig, loadDemoConfig } from "./demo_config.ts";
export type { DemoLogTraffic } from "./traffic/demo_log_traffic.ts";
export type { DemoPoolTraffic } from "./traffic/demo_pool_traffic.ts";
export type { GuildChanges } from "./traffic/guild_changes.ts";
