/**
 * The gateway: public surface for `main.ts`, routes and tests.
 *
 * @module
 */
export { ConfigError, type GatewayConfig, loadConfig } from "./config.ts";
export { Diagnostics } from "./diagnostics.ts";
export { Gateway } from "./gateway.ts";
export { type NodeOptions, type RunningNode, startNode } from "./node.ts";
