import { z } from "zod";

/** The development JWT secret, used (loudly) when `JWT_SECRET` is unset outside production. */
export const DEV_JWT_SECRET = "architus-development-secret-do-not-use-in-production";

/** The demo Architus staff user; staff by default in development. */
export const DEV_STAFF_ID = "214037134477230080";

/** Everything the gateway reads from its environment, validated at start. */
export interface GatewayConfig {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly jwtSecret: string;
  /** True when the development secret stands in for `JWT_SECRET`. */
  readonly usingDevSecret: boolean;
  readonly jwtAudience: string | undefined;
  readonly jwtIssuer: string | undefined;
  /** Browser origins allowed to open a WebSocket; empty means same-origin only. */
  readonly allowedOrigins: readonly string[];
  readonly staffIds: ReadonlySet<string>;
  readonly amqpUrl: string | undefined;
  /** Prefix of the exchange and queue names on the broker (empty: the Architus names). */
  readonly busNamespace: string;
  readonly shards: number;
  readonly heartbeatSeconds: number;
  readonly maxFrameBytes: number;
  readonly rateLimit: { readonly burst: number; readonly perSecond: number };
  /** Rate-limited frames in a row before the connection is closed. */
  readonly rateLimitStrikes: number;
  readonly backendTimeoutMs: number;
  /** Demo log events per second (embedded mode); 0 turns the traffic off. */
  readonly demoLogRate: number;
  /** Seconds between demo pool updates (embedded mode); 0 turns them off. */
  readonly demoPoolUpdateSeconds: number;
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** Log batching window and per-connection backpressure bounds. */
  readonly logs: {
    readonly windowMs: number;
    readonly frameBudget: number;
    readonly softBytes: number;
    readonly hardBytes: number;
    readonly maxHeld: number;
    readonly slowCloseMs: number;
    /** At most this many events are replayed on a resume; older `since` is `recovered: false`. */
    readonly maxReplay: number;
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const list = (s: string | undefined) =>
  (s ?? "").split(",").map((x) => x.trim()).filter((x) => x.length > 0);

const Env = z.object({
  GATEWAY_ENV: z.enum(["production", "development"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  JWT_SECRET: z.string().optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  ARCHITUS_ADMIN_IDS: z.string().optional(),
  AMQP_URL: z.string().url().optional(),
  BUS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]{0,40}$/).default(""),
  NUM_SHARDS: z.coerce.number().int().min(1).max(1024).default(4),
  HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(25),
  MAX_FRAME_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(65536),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(2),
  RATE_LIMIT_STRIKES: z.coerce.number().int().min(1).default(20),
  BACKEND_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5000),
  DEMO_LOG_RATE: z.coerce.number().min(0).max(1_000_000).default(5),
  DEMO_POOL_UPDATE_SECONDS: z.coerce.number().min(0).default(4),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  LOG_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(10),
  LOG_FRAME_BUDGET: z.coerce.number().int().min(1000).default(40_000),
  LOG_SOFT_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  LOG_HARD_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  LOG_MAX_HELD: z.coerce.number().int().min(1).default(5000),
  LOG_SLOW_CLOSE_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_MAX_REPLAY: z.coerce.number().int().min(1).default(10_000),
});

/**
 * Reads and validates the configuration. Throws `ConfigError` with every
 * problem listed, and refuses production without a secret and origins.
 */
export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  const parsed = Env.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  const production = e.GATEWAY_ENV === "production";
  const allowedOrigins = list(e.ALLOWED_ORIGINS);
  if (production) {
    const missing: string[] = [];
    if (e.JWT_SECRET === undefined) missing.push("JWT_SECRET");
    if (allowedOrigins.length === 0) missing.push("ALLOWED_ORIGINS");
    if (missing.length > 0) {
      throw new ConfigError(`production mode needs ${missing.join(" and ")}`);
    }
    if (e.JWT_SECRET !== undefined && e.JWT_SECRET.length < 32) {
      throw new ConfigError("JWT_SECRET must be at least 32 characters in production");
    }
  }
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      throw new ConfigError(`ALLOWED_ORIGINS: "${origin}" is not an origin like https://host`);
    }
  }
  const staff = list(e.ARCHITUS_ADMIN_IDS);
  for (const id of staff) {
    if (!/^[0-9]{1,20}$/.test(id)) {
      throw new ConfigError(`ARCHITUS_ADMIN_IDS: "${id}" is not an id`);
    }
  }
  return {
    production,
    host: e.HOST,
    port: e.PORT,
    jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET,
    usingDevSecret: e.JWT_SECRET === undefined,
    jwtAudience: e.JWT_AUDIENCE,
    jwtIssuer: e.JWT_ISSUER,
    allowedOrigins,
    staffIds: new Set(env.ARCHITUS_ADMIN_IDS === undefined && !production ? [DEV_STAFF_ID] : staff),
    amqpUrl: e.AMQP_URL,
    busNamespace: e.BUS_NAMESPACE,
    shards: e.NUM_SHARDS,
    heartbeatSeconds: e.HEARTBEAT_SECONDS,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    rateLimit: { burst: e.RATE_LIMIT_BURST, perSecond: e.RATE_LIMIT_PER_SECOND },
    rateLimitStrikes: e.RATE_LIMIT_STRIKES,
    backendTimeoutMs: e.BACKEND_TIMEOUT_MS,
    demoLogRate: e.DEMO_LOG_RATE,
    demoPoolUpdateSeconds: e.DEMO_POOL_UPDATE_SECONDS,
    logLevel: e.LOG_LEVEL,
    logs: {
      windowMs: e.LOG_BATCH_WINDOW_MS,
      frameBudget: e.LOG_FRAME_BUDGET,
      softBytes: e.LOG_SOFT_BYTES,
      hardBytes: Math.max(e.LOG_HARD_BYTES, e.LOG_SOFT_BYTES),
      maxHeld: e.LOG_MAX_HELD,
      slowCloseMs: e.LOG_SLOW_CLOSE_MS,
      maxReplay: e.LOG_MAX_REPLAY,
    },
  };
}
