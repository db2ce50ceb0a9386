import { AccessPolicy } from "../access/access_policy.ts";
import { Authenticator, type Principal, TokenVerifier } from "../auth/mod.ts";
import type { Backend } from "../backend/backend.ts";
import { type Bus } from "../bus/mod.ts";
import type { GatewayConfig } from "../config.ts";
import { type Connection, Traffic } from "../connection/connection.ts";
import { Dispatcher } from "../connection/dispatcher.ts";
import { type InboundCounters, InboundPipeline } from "../connection/inbound.ts";
import { HANDLERS, type Services } from "../handlers/mod.ts";
import type { GatewayHost, Readiness } from "../http/gateway_host.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import type { RoomCounts } from "../observability/metrics.ts";
import { CloseCode } from "../protocol/mod.ts";
import { PoolAnswerCache } from "../pools/mod.ts";
import { GuildStreams } from "../streams/guild_streams.ts";
import type { Transport } from "../transport/mod.ts";
import { type Admission, type ConnectionCounters, Connections } from "./connections.ts";
import { SendBudget } from "./send_budget.ts";
import { Heartbeat } from "./heartbeat.ts";
import { AccessWatch } from "./access_watch.ts";
import { SignOuts } from "./sign_outs.ts";
import { BackendHealth, type HealthProbe } from "./backend_health.ts";
import { ElevationNonces } from "./elevation_nonces.ts";

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly bus: Bus;
  readonly backend: Backend;
  readonly diagnostics: Diagnostics;
  /** What the backend's health probes (default: one `ping`). */
  readonly healthProbes?: readonly HealthProbe[];
}

/** Counters the gateway keeps (exported as metrics). */
export type GatewayCounters = InboundCounters & ConnectionCounters & {
  /** Upgrades refused by the HTTP layer, by reason. */
  upgradesRefused: Map<string, number>;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long a whole guild pool, once serialised, is shared before it is asked again. */
const POOL_ANSWER_TTL_MS = 5000;

/**
 * One gateway node: its connections and their rooms, the streams of the
 * guilds they watch, and the bus and backend behind them. It routes each
 * inbound frame through the pipeline to its handler, carries sign-outs
 * between nodes, answers readiness and drains on shutdown. `startNode`
 * builds it; the HTTP layer hands it each upgraded connection.
 */
export class Gateway implements GatewayHost {
  readonly config: GatewayConfig;
  readonly bus: Bus;
  readonly backend: Backend;
  readonly diagnostics: Diagnostics;
  /** Tokens as far as elevating goes: valid, and not signed out since issued. */
  readonly verifier: Authenticator;
  readonly signOuts: SignOuts;
  readonly access: AccessPolicy;
  readonly streams: GuildStreams;
  readonly connections: Connections;
  readonly pools: PoolAnswerCache = new PoolAnswerCache({ ttlMs: POOL_ANSWER_TTL_MS });
  readonly budget: SendBudget;
  readonly accessWatch: AccessWatch;
  readonly health: BackendHealth;
  readonly heartbeat: Heartbeat;
  /** Sign-in nonces the REST API registers over `gateway_rpc` (see `GatewayRpc`). */
  readonly nonces: ElevationNonces;
  readonly counters: GatewayCounters = {
    connectionsOpened: 0,
    connectionsClosed: 0,
    framesIn: 0,
    bytesIn: 0,
    rateLimited: 0,
    badFrames: 0,
    busy: 0,
    requestsCancelled: 0,
    upgradesRefused: new Map(),
    closeCodes: new Map(),
  };
  readonly traffic: Traffic = new Traffic();
  readonly #inbound: InboundPipeline;
  #stopWatchingBus: (() => void) | undefined;
  #phase: "serving" | "prestop" | "closing" | "stopped" = "serving";

  constructor(options: GatewayOptions) {
    const config = this.config = options.config;
    this.bus = options.bus;
    this.backend = options.backend;
    this.diagnostics = options.diagnostics;
    const tokens = new TokenVerifier({
      secret: config.jwtSecret,
      audience: config.jwtAudience,
      issuer: config.jwtIssuer,
      clockSkewSeconds: config.clockSkewSeconds,
      issuedAtTimeZone: config.dropIn.issuedAtTimeZone,
    });
    this.health = new BackendHealth({
      probes: options.healthProbes ??
        [{ name: "backend", probe: (signal) => this.backend.ping(signal) }],
      intervalMs: config.readiness.healthIntervalMs,
      timeoutMs: Math.min(config.backendTimeoutMs, 2000),
    });
    this.access = new AccessPolicy({ backend: this.backend, staffIds: config.staffIds });
    this.streams = new GuildStreams({
      bus: this.bus,
      backend: this.backend,
      streams: config.logs,
      diagnostics: this.diagnostics,
    });
    this.connections = new Connections({
      streams: this.streams,
      diagnostics: this.diagnostics,
      limits: {
        ...config.rateLimit,
        strikes: config.rateLimitStrikes,
        strikeWindowMs: config.strikeWindowSeconds * 1000,
      },
      outbound: {
        softBytes: config.outbound.softBytes,
        hardBytes: config.outbound.hardBytes,
        slowCloseMs: config.logs.slowCloseMs,
      },
      traffic: this.traffic,
      counters: this.counters,
      caps: config.connections,
    });
    this.signOuts = new SignOuts({
      bus: this.bus,
      connections: this.connections,
      diagnostics: this.diagnostics,
      retentionMs: config.revocationRetentionMs,
    });
    this.verifier = new Authenticator(tokens, this.signOuts);
    this.nonces = new ElevationNonces(this.bus, { ttlMs: config.dropIn.nonceTtlMs });
    this.budget = new SendBudget({
      connections: this.connections,
      budgetBytes: config.outbound.nodeBudgetBytes,
    });
    this.streams.poolUpdates.onUpdate((guildId, type) => this.pools.invalidate(guildId, type));
    this.heartbeat = new Heartbeat({
      connections: this.connections,
      intervalMs: config.heartbeatSeconds * 1000,
    });
    this.accessWatch = new AccessWatch({
      streams: this.streams,
      policy: this.access,
      ttlMs: config.accessTtlMs,
      diagnostics: this.diagnostics,
    });
    const services: Services = {
      config,
      backend: this.backend,
      verifier: this.verifier,
      diagnostics: this.diagnostics,
      access: this.access,
      streams: this.streams,
      elevation: this.connections,
      pools: this.pools,
      accessWatch: this.accessWatch,
      budget: this.budget,
      nonces: this.nonces,
    };
    const dispatcher = new Dispatcher({
      handlers: HANDLERS,
      services,
      verifier: this.verifier,
      deadlineMs: config.backendTimeoutMs,
    });
    this.#inbound = new InboundPipeline({
      maxFrameBytes: config.maxFrameBytes,
      maxInFlight: config.outbound.maxInFlight,
      draining: () => this.#phase === "closing",
      counters: this.counters,
      dispatch: (connection, frame) => void dispatcher.dispatch(connection, frame),
    });
  }

  /** Subscribes to cross-node control topics. The bus must be started. */
  async start(): Promise<void> {
    this.accessWatch.start();
    this.heartbeat.start();
    void this.health.start();
    await this.signOuts.start();
    const stopReady = this.bus.onReadyChange((ready) => {
      if (ready) this.diagnostics.info("bus back: bindings restored");
      else this.diagnostics.warn("bus down: clients stay connected, backend calls fail fast");
    });
    // Events published while the bus was away never reached this node: every log spectator
    // is told the exact range before its next event.
    const stopResume = this.bus.onResume(() => {
      this.diagnostics.info("bus resumed: log spectators are owed a gap");
      this.streams.busResumed();
    });
    this.#stopWatchingBus = () => {
      stopReady();
      stopResume();
    };
  }

  /** True from the moment the node starts stopping (it is unready). */
  get draining(): boolean {
    return this.#phase !== "serving";
  }

  /** False once the node closes its connections: new ones go elsewhere. */
  get accepting(): boolean {
    return this.#phase === "serving" || this.#phase === "prestop";
  }

  /** Whether a new connection from `peer` may open now. */
  admission(peer: string): Admission {
    return this.connections.admission(peer);
  }

  /** Starts a connection, elevated from the start when the upgrade carried a valid cookie. */
  open(transport: Transport, principal: Principal | null, peer?: string): Connection {
    return this.connections.open(transport, principal, peer);
  }

  /** Handles one inbound frame. Never throws. */
  receive(connection: Connection, data: string | Uint8Array): void {
    this.#inbound.receive(connection, data);
  }

  /** Releases everything a closed connection held (`code`: the socket's close code). */
  close(connection: Connection, code?: number): Promise<void> {
    return this.connections.close(connection, code);
  }

  /** Counts an upgrade the HTTP layer refused, by reason. */
  refusedUpgrade(reason: string): void {
    const refused = this.counters.upgradesRefused;
    refused.set(reason, (refused.get(reason) ?? 0) + 1);
  }

  /**
   * Signs `userId` out on every node: their connections are demoted and
   * their tokens issued until now no longer elevate (see `SignOuts`).
   */
  async signOut(userId: string): Promise<void> {
    await this.signOuts.signOut(userId);
  }

  /** Sizes of the node's rooms. */
  counts(): RoomCounts {
    return { ...this.connections.counts(), ...this.streams.rooms.counts() };
  }

  /**
   * Readiness, local and immediate: the process answers, the bus is
   * connected and the node is not stopping. The backend's health is a
   * cached background probe per shard; it makes the node unready only with
   * `READY_REQUIRES_BACKEND=true`: every node shares one backend, so taking
   * them all out of the balancer for a backend fault would turn it into a
   * full outage for clients who only watch live logs.
   */
  ready(): Readiness {
    const bus = this.bus.ready;
    const backend = this.health.healthy;
    const now = Date.now();
    const shards = Object.fromEntries(
      Object.entries(this.health.snapshot()).map(([name, r]) => [name, {
        ok: r.ok,
        checked_ms_ago: r.checkedAt === 0 ? -1 : now - r.checkedAt,
        latency_ms: r.latencyMs,
      }]),
    );
    const ready = bus && this.#phase === "serving" && this.signOuts.caughtUp &&
      (backend || !this.config.readiness.requiresBackend);
    return { ready, bus, backend, draining: this.draining, shards };
  }

  /**
   * Stops the node. A graceful stop (SIGTERM) turns unready at once but
   * goes on serving for `preStopMs`, so the load balancer stops routing new
   * clients here first; then it closes its connections with 1012 (reconnect:
   * another node answers) at random moments spread over `drainMs`, so they
   * do not all reconnect at once; new requests meanwhile are refused with
   * `draining`. Clients still connected `graceMs` after that are dropped.
   * A number is `graceMs` alone: every connection is told at once.
   */
  async shutdown(
    options: number | { preStopMs?: number; drainMs?: number; graceMs?: number } = {},
  ): Promise<void> {
    const { preStopMs = 0, drainMs = 0, graceMs = 5000 } = typeof options === "number"
      ? { graceMs: options }
      : options;
    if (this.#phase !== "serving") return;
    this.#phase = "prestop";
    this.diagnostics.info("stopping: unready, still serving", { prestop_ms: preStopMs });
    await sleep(preStopMs);
    this.#phase = "closing";
    this.diagnostics.info("stopping: closing connections", {
      connections: this.connections.size,
      window_ms: drainMs,
    });
    const timers = [...this.connections].map((connection) =>
      setTimeout(() => {
        connection.transport.close(CloseCode.serviceRestart, "server restarting");
      }, drainMs * Math.random())
    );
    const deadline = Date.now() + drainMs + graceMs;
    while (this.connections.size > 0 && Date.now() < deadline) await sleep(20);
    for (const timer of timers) clearTimeout(timer);
    for (const connection of [...this.connections]) {
      connection.transport.close(CloseCode.serviceRestart, "server restarting");
      await this.close(connection);
    }
    this.#phase = "stopped";
    this.streams.shutdown();
    this.accessWatch.stop();
    this.heartbeat.stop();
    await this.health.stop();
    this.#stopWatchingBus?.();
    await this.signOuts.stop();
  }
}
