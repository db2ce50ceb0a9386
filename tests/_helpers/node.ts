import { loadConfig, type NodeOptions, type RunningNode, startNode } from "../../gateway/mod.ts";
import { createDemoDataset, type DemoDataset } from "../../demo/mod.ts";
import { Diagnostics } from "../../gateway/diagnostics.ts";
import { mintToken } from "../../gateway/auth/mod.ts";

/** The broker the AMQP tests use; `deno task test` starts the local one when it is down. */
export const AMQP_TEST_URL = Deno.env.get("AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672";

export const TEST_SECRET = "test-secret-that-is-long-enough-for-production-0123456789";

let small: DemoDataset | undefined;
let full: DemoDataset | undefined;

/** The demo dataset; the 10,000-member big guild only when asked for. */
export function dataset(options: { bigGuild?: boolean } = {}): DemoDataset {
  if (options.bigGuild) return full ??= createDemoDataset();
  return small ??= createDemoDataset({ bigGuildMembers: 300 });
}

/** Diagnostic lines captured from a node, to check what it logs. */
export const captured: string[] = [];

/** Starts a node on a free port with test defaults; `env` overrides any variable. */
export function startTestNode(
  env: Record<string, string> = {},
  options: Partial<NodeOptions> & { bigGuild?: boolean } = {},
): Promise<RunningNode> {
  const config = loadConfig({
    PORT: "0",
    JWT_SECRET: TEST_SECRET,
    DEMO_POOL_UPDATE_SECONDS: "0",
    DEMO_LOG_RATE: "0",
    LOG_LEVEL: "debug",
    ...env,
  });
  return startNode({
    config,
    dataset: dataset({ bigGuild: options.bigGuild ?? false }),
    diagnostics: new Diagnostics({ level: "debug", sink: (line) => captured.push(line) }),
    ...options,
  });
}

/** A token for `userId` signed with the test secret. */
export function tokenFor(
  userId: string,
  options: {
    ttlSeconds?: number;
    secret?: string;
    style?: "rest" | "standard";
    extra?: Record<string, unknown>;
    now?: number;
  } = {},
): Promise<string> {
  return mintToken({ secret: options.secret ?? TEST_SECRET, userId, ...options });
}

/** The WebSocket URL of a node's gateway endpoint. */
export function wsUrl(node: RunningNode, path = "/gateway"): string {
  const url = new URL(path, node.url);
  url.protocol = "ws:";
  return url.href;
}
