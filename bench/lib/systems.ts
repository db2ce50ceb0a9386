/**
 * Starting and stopping the systems under test and their load generators,
 * each in a process of its own.
 *
 * @module
 */
import { ARCHITUS_STAFF_ID, DEMO_GUILD_IDS } from "../../demo/mod.ts";
import { mintToken } from "../../gateway/auth/mod.ts";
import { BEFORE_SERVER, beforeLabel, prepareBefore } from "./before.ts";
import { BENCH_ROOT, Child, spawnDeno, spawnNode } from "./child.ts";
import { brokerPid } from "./proc.ts";

export type SystemName =
  | "baseline"
  | "baseline-batched"
  | "gateway"
  | "gateway-before"
  | "gateway-zero-timers"
  | "gateway-microtask-timers"
  | "gateway-amqp"
  | "gateway-amqp-batched"
  | "socketio"
  | "socketio-client";

export const SYSTEM_LABELS: Record<SystemName, string> = {
  "baseline": "bare Deno (baseline)",
  "baseline-batched": "bare Deno, batched 10 ms",
  "gateway": "gateway, embedded",
  "gateway-before": beforeLabel(),
  "gateway-zero-timers": "gateway, embedded, < 1 ms timers as setImmediate (experiment)",
  "gateway-microtask-timers": "gateway, embedded, < 1 ms timers as queueMicrotask (experiment)",
  "gateway-amqp": "gateway + RabbitMQ, one message per event",
  "gateway-amqp-batched": "gateway + RabbitMQ, batched per guild per 5 ms",
  "socketio": "Socket.IO 4 (Node)",
  "socketio-client": "Socket.IO 4 (Node), received with socket.io-client",
};

/** The JWT secret the gateway under test is given (and tokens are signed with). */
export const BENCH_SECRET = "architus-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
export const BIG_GUILD: string = DEMO_GUILD_IDS.bigGuild;
export const DEMO_GUILDS: string[] = Object.values(DEMO_GUILD_IDS);
export const AMQP_URL = Deno.env.get("BENCH_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672";
const GC_FLAGS = ["--v8-flags=--expose-gc"];

let cookie: string | undefined;

/** The upgrade cookie of the staff user (`dev-token`, development mode). */
export async function staffCookie(): Promise<string> {
  cookie ??= `dev-token=${await mintToken({
    secret: BENCH_SECRET,
    userId: ARCHITUS_STAFF_ID,
    ttlSeconds: 6 * 3600,
  })}`;
  return cookie;
}

/** The gateway's environment for every benchmark: quiet, no demo traffic, loopback clients. */
export function gatewayEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GATEWAY_ENV: "development",
    HOST: "127.0.0.1",
    PORT: "0",
    JWT_SECRET: BENCH_SECRET,
    ARCHITUS_ADMIN_IDS: ARCHITUS_STAFF_ID,
    LOG_LEVEL: "error",
    DEMO_LOG_RATE: "0",
    DEMO_POOL_UPDATE_SECONDS: "0",
    // Every receiver comes from 127.0.0.1: lift the per-address cap (default 100) for them,
    // as the soak does. The first round had no such cap (its configuration ignores this).
    MAX_CONNECTIONS_PER_IP: "100000",
    ...extra,
  };
}

export interface Running {
  readonly name: SystemName;
  readonly server: Child;
  /** The RabbitMQ publisher (gateway-amqp). */
  readonly publisher?: Child;
  /** The demo backend process (gateway-amqp with `backend`). */
  readonly backend?: Child;
  /** Where clients connect. */
  readonly url: string;
  /** How clients speak to it. */
  readonly protocol: "gateway" | "baseline" | "socketio";
  /**
   * Who receives: the lean Deno receiver for every system, or (one
   * labelled row) Socket.IO's official client in Node.
   */
  readonly receiver: "lean" | "socket.io-client";
  /** The RabbitMQ publisher's shape: one message per event, or per guild per tick. */
  readonly publishMode?: "per-event" | "batched";
  /** Processes to measure. */
  pids(): Record<string, number | undefined>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for the gateway. */
  readonly env?: Record<string, string>;
  /** Start the demo backend process too (gateway-amqp, for requests). */
  readonly backend?: boolean;
  /** Extra `deno run` flags for the server (profiling). */
  readonly denoFlags?: readonly string[];
}

let namespaces = 0;

export async function startSystem(name: SystemName, options: StartOptions = {}): Promise<Running> {
  const denoFlags = [...GC_FLAGS, ...(options.denoFlags ?? [])];
  switch (name) {
    case "baseline":
    case "baseline-batched": {
      const server = await spawnDeno(name, "bench/servers/baseline.ts", {
        denoFlags,
        args: name === "baseline-batched" ? ["--batch-ms=10"] : [],
      });
      return simple(name, server, String(server.info.url), "baseline");
    }
    case "gateway":
    case "gateway-zero-timers":
    case "gateway-microtask-timers": {
      const experiment = {
        "gateway": undefined,
        "gateway-zero-timers": "immediate-zero-timers",
        "gateway-microtask-timers": "microtask-zero-timers",
      }[name];
      const env = gatewayEnv({
        ...(experiment ? { BENCH_EXPERIMENT: experiment } : {}),
        ...options.env,
      });
      const server = await spawnDeno(name, "bench/servers/gateway.ts", { env, denoFlags });
      return simple(name, server, String(server.info.url), "gateway");
    }
    case "gateway-before": {
      // The first round's gateway and server script, in its own checkout (`before.ts`),
      // with the same environment and flags as `gateway`.
      const checkout = await prepareBefore();
      const server = await spawnDeno(name, BEFORE_SERVER, {
        env: gatewayEnv(options.env),
        denoFlags,
        cwd: checkout.dir,
      });
      server.info = { ...server.info, commit: checkout.commit.slice(0, 12) };
      return simple(name, server, String(server.info.url), "gateway");
    }
    case "gateway-amqp":
    case "gateway-amqp-batched":
      return await startAmqp(name, options, denoFlags);
    case "socketio":
    case "socketio-client": {
      await ensurePeer();
      const server = await spawnNode(name, "server.mjs", { nodeFlags: ["--expose-gc"] });
      const running = simple(name, server, String(server.info.url), "socketio");
      return name === "socketio" ? running : { ...running, receiver: "socket.io-client" };
    }
  }
}

function simple(
  name: SystemName,
  server: Child,
  url: string,
  protocol: Running["protocol"],
): Running {
  return {
    name,
    server,
    url,
    protocol,
    receiver: "lean",
    pids: () => ({ server: server.pid }),
    stop: () => server.stop(),
  };
}

async function startAmqp(
  name: "gateway-amqp" | "gateway-amqp-batched",
  options: StartOptions,
  denoFlags: string[],
): Promise<Running> {
  if (!(await brokerReachable())) throw new Error(`RabbitMQ is not reachable at ${AMQP_URL}`);
  const namespace = `bench-${Deno.pid}-${++namespaces}`;
  const busEnv = { AMQP_URL, BUS_NAMESPACE: namespace };
  const started: Child[] = [];
  try {
    // With a backend process, ready means its shards answer: a request sent before they consume
    // their queues would wait out the deadline.
    const readiness: Record<string, string> = options.backend
      ? { READY_REQUIRES_BACKEND: "true" }
      : {};
    const server = await spawnDeno(name, "bench/servers/gateway.ts", {
      env: gatewayEnv({ ...busEnv, ...readiness, ...options.env }),
      denoFlags,
    });
    started.push(server);
    const publisher = await spawnDeno("amqp-publisher", "bench/publishers/amqp_publisher.ts", {
      env: busEnv,
    });
    started.push(publisher);
    let backend: Child | undefined;
    if (options.backend) {
      backend = await spawnDeno("backend", "backend_main.ts", {
        env: gatewayEnv({ ...busEnv, PORT: "0" }),
        plain: true,
      });
      started.push(backend);
      await waitReady(new URL("/readyz", String(server.info.url).replace(/^ws/, "http")).href);
    }
    const broker = brokerPid();
    return {
      name,
      server,
      publisher,
      backend,
      url: String(server.info.url),
      protocol: "gateway",
      receiver: "lean",
      publishMode: name === "gateway-amqp" ? "per-event" : "batched",
      pids: () => ({
        server: server.pid,
        publisher: publisher.pid,
        backend: backend?.pid,
        broker,
      }),
      stop: async () => {
        await backend?.stop();
        await server.stop();
        await publisher.call("cleanup", {
          queues: ["shard_rpc_0", "shard_rpc_1", "shard_rpc_2", "shard_rpc_3"],
        }, 10_000).catch(() => {});
        await publisher.stop();
      },
    };
  } catch (error) {
    for (const child of started.reverse()) await child.stop();
    throw error;
  }
}

async function waitReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.status === 200) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

/** Whether the broker accepts TCP connections. */
export async function brokerReachable(): Promise<boolean> {
  const url = new URL(AMQP_URL);
  try {
    const conn = await Deno.connect({
      hostname: url.hostname,
      port: Number(url.port || 5672),
    });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** The receivers of a system: the lean one for every system, or Socket.IO's official client. */
export function startClients(system: Running, name = "clients"): Promise<Child> {
  if (system.receiver === "socket.io-client") return spawnNode(name, "receivers.mjs");
  return spawnDeno(name, "bench/clients/receivers.ts");
}

const PEER = new URL("peer/", BENCH_ROOT);

/** Installs the Socket.IO peer's packages on first use (`npm ci` from its lockfile). */
export async function ensurePeer(): Promise<void> {
  try {
    Deno.statSync(new URL("node_modules/socket.io/package.json", PEER));
    Deno.statSync(new URL("node_modules/socket.io-client/package.json", PEER));
    return;
  } catch { /* not installed yet */ }
  for (const args of [["ci"], ["install"]]) {
    const out = await new Deno.Command("npm", {
      args: [...args, "--no-audit", "--no-fund"],
      cwd: PEER,
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (out.success) return;
  }
  throw new Error("npm could not install the Socket.IO peer in bench/peer/");
}

/** The version of an installed peer package. */
export function peerVersion(pkg: string): string | undefined {
  try {
    const text = Deno.readTextFileSync(new URL(`node_modules/${pkg}/package.json`, PEER));
    return (JSON.parse(text) as { version: string }).version;
  } catch {
    return undefined;
  }
}
