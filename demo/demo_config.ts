import { z } from "zod";

/** What the demo backend process reads from its environment: only what it uses. */
export interface DemoConfig {
  readonly amqpUrl: string;
  readonly busNamespace: string;
  readonly shards: number;
  readonly logRate: number;
  readonly poolUpdateSeconds: number;
  readonly logLevel: "debug" | "info" | "warn" | "error";
  readonly botChannel: boolean;
}

const Env = z.object({
  AMQP_URL: z.string().url().default("amqp://guest:guest@127.0.0.1:5672"),
  BUS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]{0,40}$/).default(""),
  NUM_SHARDS: z.coerce.number().int().min(1).max(1024).default(4),
  DEMO_LOG_RATE: z.coerce.number().min(0).max(1_000_000).default(5),
  DEMO_POOL_UPDATE_SECONDS: z.coerce.number().min(0).default(4),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  DEMO_BOT_CHANNEL: z.enum(["true", "false"]).default("true"),
});

/** Reads the demo backend's configuration; throws an `Error` listing every problem. */
export function loadDemoConfig(env: Record<string, string | undefined>): DemoConfig {
  const parsed = Env.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  return {
    amqpUrl: e.AMQP_URL,
    busNamespace: e.BUS_NAMESPACE,
    shards: e.NUM_SHARDS,
    logRate: e.DEMO_LOG_RATE,
    poolUpdateSeconds: e.DEMO_POOL_UPDATE_SECONDS,
    logLevel: e.LOG_LEVEL,
    botChannel: e.DEMO_BOT_CHANNEL === "true",
  };
}
