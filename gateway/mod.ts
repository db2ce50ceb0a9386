/**
 * The gateway: public surface for `main.ts`, routes and tests.
 *
 * @module
 */
export { ConfigError, type GatewayConfig, loadConfig } from "./config.ts";
export type { Bus } from "./bus/mod.ts";
export { Diagnostics } from "./observability/diagnostics.ts";
export { Gateway } from "./node/gateway.ts";
export {
  type Companion,
  createBus,
  type NodeOptions,
  type RunningNode,
  type ShutdownOptions,
  startNode,
} from "./node/start_node.ts";
