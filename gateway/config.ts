import { z } from "zod";
import { isTimeZone } from "./auth/zoned_time.ts";

/** The development JWT secret: published in this repository, so refused in production. */
export const DEV_JWT_SECRET = "architus-development-secret-do-not-use-in-production";

/** The demo Architus staff user; staff by default in development. */
export const DEV_STAFF_ID = "214037134477230080";

/** Everything the gateway reads from its environment, validated at start. */
export interface GatewayConfig {
  /** `GATEWAY_ENV`, which must be set: there is no default to fall back to. */
  readonly environment: "production" | "development";
  readonly production: boolean;
  /** This node's name in logs, metrics and the broker (`NODE_ID`, else host and pid). */
  readonly nodeId: string;
  readonly host: string;
  readonly port: number;
  /** A separate port for `/metrics` (then the main port does not serve it). */
  readonly metricsPort: number | undefined;
  /** The address `METRICS_PORT` listens on (default `HOST`): a private interface keeps it private. */
  readonly metricsHost: string;
  /**
   * Where `deno task build` writes the pages' assets: a development start
   * builds into it, a production start only reads it.
   */
  readonly assetsDir: string;
  readonly jwtSecret: string;
  /** True when the development secret stands in for `JWT_SECRET`. */
  readonly usingDevSecret: boolean;
  readonly jwtAudience: string | undefined;
  readonly jwtIssuer: string | undefined;
  /** How far in the future a token's issue time may be (clocks drift). */
  readonly clockSkewSeconds: number;
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
  /** Rate-limited frames within `strikeWindowSeconds` before the connection is closed. */
  readonly rateLimitStrikes: number;
  readonly strikeWindowSeconds: number;
  /** Connection limits: the node, one client address, and how long a client may dawdle. */
  readonly connections: {
    readonly max: number;
    readonly perIp: number;
    /** A header naming the client address, set by a trusted proxy; unset: the peer address. */
    readonly trustedProxyHeader: string | undefined;
    readonly handshakeTimeoutMs: number;
    /** A connection that never elevates and never asks anything is closed after this. */
    readonly idleTimeoutMs: number;
  };
  /** What one connection may have outstanding. */
  readonly outbound: {
    /** Above this many unsent bytes, streams wait (pools) or hold and coalesce (logs). */
    readonly softBytes: number;
    /** Above this many unsent bytes the connection is closed (4009). */
    readonly hardBytes: number;
    /** Requests in flight per connection; more are refused with `busy`. */
    readonly maxInFlight: number;
    /** Unsent bytes over all connections above which expensive requests are refused. */
    readonly nodeBudgetBytes: number;
  };
  /** How long an access decision (membership, permissions) holds before it is asked again. */
  readonly accessTtlMs: number;
  /** How long a sign-out is remembered: longer than any token it revokes lives. */
  readonly revocationRetentionMs: number;
  /** Readiness: whether backend trouble makes the node unready, and how often it is probed. */
  readonly readiness: { readonly requiresBackend: boolean; readonly healthIntervalMs: number };
  /** A graceful stop (SIGTERM): unready but serving for `preStopMs`, then closes spread over `drainMs`. */
  readonly shutdown: { readonly preStopMs: number; readonly drainMs: number };
  readonly backendTimeoutMs: number;
  /** Demo log events per second (embedded mode); 0 turns the traffic off. */
  readonly demoLogRate: number;
  /** Seconds between demo pool updates (embedded mode); 0 turns them off. */
  readonly demoPoolUpdateSeconds: number;
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** Log batching window, backpressure of the log stream, and resume. */
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
  /** In place of the Python gateway, beside the original REST API and shards. */
  readonly dropIn: {
    /** `native`: this gateway's backend RPC; `architus`: the original shards' methods. */
    readonly backendProtocol: "native" | "architus";
    /** Discord's REST API base (no trailing slash), for the guild list in `architus` mode. */
    readonly discordApiBase: string;
    /** The IANA zone the REST API writes its zone-less `issued_at` in. */
    readonly issuedAtTimeZone: string;
    /** How long a sign-in nonce registered over `gateway_rpc` may be used, once. */
    readonly nonceTtlMs: number;
  };
}

/** `<hostname>-<pid>-<random>`: unique per process, readable in logs. */
function defaultNodeId(): string {
  let host = "node";
  try {
    host = Deno.hostname().replace(/[^A-Za-z0-9_.-]/g, "").slice(0, 32) || host;
  } catch {
    // No permission to read the hostname: the pid and a random part still tell nodes apart.
  }
  return `${host}-${Deno.pid}-${crypto.randomUUID().slice(0, 4)}`;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const list = (s: string | undefined) =>
  (s ?? "").split(",").map((x) => x.trim()).filter((x) => x.length > 0);

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

const Env = z.object({
  GATEWAY_ENV: z.enum(["production", "development"], {
    error: "must be set to production or development",
  }),
  NODE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: int(0, 65535).default(8000),
  METRICS_PORT: int(0, 65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  ASSETS_DIR: z.string().min(1).default("dist"),
  JWT_SECRET: z.string().optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_CLOCK_SKEW_SECONDS: int(0, 3600).default(60),
  ALLOWED_ORIGINS: z.string().optional(),
  ARCHITUS_ADMIN_IDS: z.string().optional(),
  AMQP_URL: z.string().url().optional(),
  BUS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]{0,40}$/).default(""),
  NUM_SHARDS: int(1, 1024).default(4),
  HEARTBEAT_SECONDS: int(1, 300).default(25),
  MAX_FRAME_BYTES: int(1024, 16 * 1024 * 1024).default(65536),
  RATE_LIMIT_BURST: int(1).default(120),
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(2),
  RATE_LIMIT_STRIKES: int(1).default(20),
  RATE_LIMIT_STRIKE_WINDOW_SECONDS: int(1, 3600).default(10),
  MAX_CONNECTIONS: int(1).default(10_000),
  MAX_CONNECTIONS_PER_IP: int(1).default(100),
  TRUSTED_PROXY_HEADER: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional(),
  HANDSHAKE_TIMEOUT_MS: int(100, 60_000).default(5000),
  IDLE_TIMEOUT_SECONDS: int(1, 86_400).default(60),
  SEND_SOFT_BYTES: int(1024).default(256 * 1024),
  SEND_HARD_BYTES: int(1024).default(8 * 1024 * 1024),
  MAX_IN_FLIGHT: int(1, 1000).default(16),
  NODE_SEND_BUDGET_BYTES: int(1024 * 1024).default(256 * 1024 * 1024),
  ACCESS_TTL_SECONDS: int(1, 86_400).default(60),
  // At most the revocation stream's own age (`x-max-age` 8D): a sign-out cannot outlive its record.
  REVOCATION_RETENTION_DAYS: z.coerce.number().min(0.001).max(8).default(8),
  READY_REQUIRES_BACKEND: z.enum(["true", "false"]).default("false"),
  HEALTH_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  SHUTDOWN_PRESTOP_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  BACKEND_TIMEOUT_MS: int(50, 120_000).default(5000),
  DEMO_LOG_RATE: z.coerce.number().min(0).max(1_000_000).default(5),
  DEMO_POOL_UPDATE_SECONDS: z.coerce.number().min(0).default(4),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  LOG_BATCH_WINDOW_MS: int(0, 1000).default(10),
  LOG_FRAME_BUDGET: int(1000).default(40_000),
  LOG_MAX_HELD: int(1).default(5000),
  LOG_SLOW_CLOSE_MS: int(100).default(15_000),
  LOG_MAX_REPLAY: int(1).default(10_000),
  BACKEND_PROTOCOL: z.enum(["native", "architus"]).default("native"),
  DISCORD_API_BASE: z.string().url().regex(/^https?:\/\//, "must be an http(s) URL")
    .default("https://discord.com/api/v10"),
  JWT_ISSUED_AT_TZ: z.string().refine(isTimeZone, "unknown time zone (an IANA name: Europe/Berlin)")
    .default("UTC"),
  NONCE_TTL_SECONDS: int(1, 3600).default(60),
});

/**
 * Problems that need several variables to see. They read the raw values, so
 * they are listed together with the schema's own problems, all at once.
 */
function crossChecks(env: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const secret = env.JWT_SECRET;
  const origins = list(env.ALLOWED_ORIGINS);
  if (env.GATEWAY_ENV === "production") {
    if (secret === undefined) problems.push("JWT_SECRET: required in production");
    else if (secret === DEV_JWT_SECRET) {
      problems.push("JWT_SECRET: the published development secret is refused in production");
    } else if (secret.length < 32) {
      problems.push("JWT_SECRET: must be at least 32 characters in production");
    }
    if (origins.length === 0) problems.push("ALLOWED_ORIGINS: required in production");
  }
  for (const origin of origins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      problems.push(`ALLOWED_ORIGINS: "${origin}" is not an origin like https://host`);
    }
  }
  for (const id of list(env.ARCHITUS_ADMIN_IDS)) {
    if (!/^(0|[1-9][0-9]{0,19})$/.test(id) || BigInt(id) >= 1n << 64n) {
      problems.push(`ARCHITUS_ADMIN_IDS: "${id}" is not an id`);
    }
  }
  const metricsPort = Number(env.METRICS_PORT);
  if (metricsPort > 0 && metricsPort === Number(env.PORT ?? 8000)) {
    problems.push("METRICS_PORT: must differ from PORT");
  }
  if (Number(env.SEND_HARD_BYTES ?? Infinity) < Number(env.SEND_SOFT_BYTES ?? 256 * 1024)) {
    problems.push("SEND_HARD_BYTES: must be at least SEND_SOFT_BYTES");
  }
  if (env.BACKEND_PROTOCOL === "architus" && env.AMQP_URL === undefined) {
    problems.push("BACKEND_PROTOCOL: architus needs AMQP_URL (the shards' broker)");
  }
  return problems;
}

/**
 * Reads and validates the configuration. Fails closed: `GATEWAY_ENV` must
 * say production or development, and production refuses to start without
 * a real secret and its origins. Throws `ConfigError` listing every
 * problem at once.
 */
export function loadConfig(env: Record<string, string | undefined>): GatewayConfig {
  const given = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && (v !== "" || k === "GATEWAY_ENV")),
  );
  const parsed = Env.safeParse(given);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  problems.push(...crossChecks(given as Record<string, string>));
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  const production = e.GATEWAY_ENV === "production";
  return {
    environment: e.GATEWAY_ENV,
    production,
    nodeId: e.NODE_ID ?? defaultNodeId(),
    host: e.HOST,
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST ?? e.HOST,
    assetsDir: e.ASSETS_DIR,
    jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET,
    usingDevSecret: e.JWT_SECRET === undefined || e.JWT_SECRET === DEV_JWT_SECRET,
    jwtAudience: e.JWT_AUDIENCE,
    jwtIssuer: e.JWT_ISSUER,
    clockSkewSeconds: e.JWT_CLOCK_SKEW_SECONDS,
    allowedOrigins: list(env.ALLOWED_ORIGINS),
    staffIds: new Set(
      env.ARCHITUS_ADMIN_IDS === undefined && !production
        ? [DEV_STAFF_ID]
        : list(env.ARCHITUS_ADMIN_IDS),
    ),
    amqpUrl: e.AMQP_URL,
    busNamespace: e.BUS_NAMESPACE,
    shards: e.NUM_SHARDS,
    heartbeatSeconds: e.HEARTBEAT_SECONDS,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    rateLimit: { burst: e.RATE_LIMIT_BURST, perSecond: e.RATE_LIMIT_PER_SECOND },
    rateLimitStrikes: e.RATE_LIMIT_STRIKES,
    strikeWindowSeconds: e.RATE_LIMIT_STRIKE_WINDOW_SECONDS,
    connections: {
      max: e.MAX_CONNECTIONS,
      perIp: e.MAX_CONNECTIONS_PER_IP,
      trustedProxyHeader: e.TRUSTED_PROXY_HEADER?.toLowerCase(),
      handshakeTimeoutMs: e.HANDSHAKE_TIMEOUT_MS,
      idleTimeoutMs: e.IDLE_TIMEOUT_SECONDS * 1000,
    },
    outbound: {
      softBytes: e.SEND_SOFT_BYTES,
      hardBytes: e.SEND_HARD_BYTES,
      maxInFlight: e.MAX_IN_FLIGHT,
      nodeBudgetBytes: e.NODE_SEND_BUDGET_BYTES,
    },
    accessTtlMs: e.ACCESS_TTL_SECONDS * 1000,
    revocationRetentionMs: e.REVOCATION_RETENTION_DAYS * 86_400_000,
    readiness: {
      requiresBackend: e.READY_REQUIRES_BACKEND === "true",
      healthIntervalMs: e.HEALTH_INTERVAL_SECONDS * 1000,
    },
    shutdown: {
      preStopMs: e.SHUTDOWN_PRESTOP_SECONDS * 1000,
      drainMs: e.SHUTDOWN_DRAIN_SECONDS * 1000,
    },
    backendTimeoutMs: e.BACKEND_TIMEOUT_MS,
    demoLogRate: e.DEMO_LOG_RATE,
    demoPoolUpdateSeconds: e.DEMO_POOL_UPDATE_SECONDS,
    logLevel: e.LOG_LEVEL,
    logs: {
      windowMs: e.LOG_BATCH_WINDOW_MS,
      frameBudget: e.LOG_FRAME_BUDGET,
      softBytes: e.SEND_SOFT_BYTES,
      hardBytes: e.SEND_HARD_BYTES,
      maxHeld: e.LOG_MAX_HELD,
      slowCloseMs: e.LOG_SLOW_CLOSE_MS,
      maxReplay: e.LOG_MAX_REPLAY,
    },
    dropIn: {
      backendProtocol: e.BACKEND_PROTOCOL,
      discordApiBase: e.DISCORD_API_BASE.replace(/\/+$/, ""),
      issuedAtTimeZone: e.JWT_ISSUED_AT_TZ,
      nonceTtlMs: e.NONCE_TTL_SECONDS * 1000,
    },
  };
}
