import {
  type Bus,
  createBus,
  Diagnostics,
  type GatewayConfig,
  loadConfig,
  type NodeOptions,
  type RunningNode,
  startNode,
} from "../../gateway/mod.ts";
import {
  createDemoDataset,
  type DemoBackend,
  type DemoDataset,
  type DemoLogTraffic,
  type DemoPoolTraffic,
  type GuildChanges,
  startDemoService,
} from "../../demo/mod.ts";
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

/** How a test node is composed. */
export interface TestNodeOptions extends Partial<Pick<NodeOptions, "mount">> {
  /** The bus (started here when it is not yet); by default one from the configuration. */
  readonly bus?: Bus;
  /** Run the demo backend on the node's bus (default: only without AMQP_URL). */
  readonly embeddedBackend?: boolean;
  /** The demo dataset with the 10,000-member big guild (default: 300 members). */
  readonly bigGuild?: boolean;
}

/** A test node, with its embedded demo backend when it has one. */
export interface TestNode extends RunningNode {
  readonly demo: DemoBackend | undefined;
  readonly poolTraffic: DemoPoolTraffic | undefined;
  readonly logTraffic: DemoLogTraffic | undefined;
  readonly changes: GuildChanges | undefined;
}

/** The configuration of a test node: test defaults, `env` overrides any variable. */
export function testConfig(env: Record<string, string> = {}): GatewayConfig {
  return loadConfig({
    GATEWAY_ENV: "development",
    PORT: "0",
    JWT_SECRET: TEST_SECRET,
    DEMO_POOL_UPDATE_SECONDS: "0",
    DEMO_LOG_RATE: "0",
    LOG_LEVEL: "debug",
    ...env,
  });
}

/**
 * Starts a node on a free port with test defaults, composed as `main.ts`
 * does: a bus, the demo backend on it (embedded), then the node.
 */
export async function startTestNode(
  env: Record<string, string> = {},
  options: TestNodeOptions = {},
): Promise<TestNode> {
  const config = testConfig(env);
  const diagnostics = new Diagnostics({
    level: "debug",
    fields: { node: config.nodeId },
    sink: (line) => captured.push(line),
  });
  const bus = options.bus ?? createBus(config, diagnostics);
  if (!bus.ready) await bus.start();
  const embedded = options.embeddedBackend ?? config.amqpUrl === undefined;
  const service = embedded
    ? await startDemoService(bus, {
      shards: config.shards,
      dataset: dataset({ bigGuild: options.bigGuild ?? false }),
      logRate: config.demoLogRate,
      poolUpdateSeconds: config.demoPoolUpdateSeconds,
      botChannel: config.environment === "development",
    })
    : undefined;
  const node = await startNode({
    config,
    diagnostics,
    bus,
    companions: service === undefined ? [] : [service],
    mount: options.mount,
  });
  return {
    ...node,
    demo: service?.backend,
    poolTraffic: service?.poolTraffic,
    logTraffic: service?.logTraffic,
    changes: service?.changes,
  };
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
