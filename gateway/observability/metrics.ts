import type { CallObserver } from "../backend/backend_rpc.ts";
import client from "prom-client";
import { registerProcessMetrics } from "./process_metrics.ts";

/** Sizes of a node's rooms, for metrics and leak tests. */
export interface RoomCounts {
  unauthenticated: number;
  authenticated: number;
  users: number;
  guilds: number;
  spectators: number;
  bindings: number;
}

/**
 * What the metrics read from a node when scraped (the `Gateway` is one): a
 * narrow view, so that observability depends on nothing of the node.
 */
export interface MetricsSubject {
  counts(): RoomCounts;
  readonly bus: { readonly ready: boolean };
  readonly connections: Iterable<{ readonly pendingCount: number }>;
  readonly counters: Readonly<{
    connectionsOpened: number;
    connectionsClosed: number;
    framesIn: number;
    bytesIn: number;
    rateLimited: number;
    badFrames: number;
    busy: number;
    requestsCancelled: number;
    /** Upgrades refused, by reason. */
    upgradesRefused: ReadonlyMap<string, number>;
    /** Connections closed, by close code. */
    closeCodes: ReadonlyMap<number, number>;
  }>;
  readonly traffic: Readonly<{ framesOut: number; bytesOut: number }>;
  readonly streams: {
    readonly logs: {
      readonly counters: Readonly<{
        received: number;
        sent: number;
        frames: number;
        dropped: number;
        malformed: number;
        slowClosed: number;
      }>;
    };
    readonly poolUpdates: { readonly malformed: number };
  };
  readonly signOuts: {
    readonly counters: Readonly<{ applied: number; malformed: number; signedOut: number }>;
  };
  readonly accessWatch: { readonly counters: Readonly<{ rechecks: number; ended: number }> };
  readonly budget: { readonly refused: number; readonly unsent: number };
}

/** What `/metrics` reads besides the gateway itself. */
export interface MetricsSources {
  /** Reconnects of the bus to its broker so far (0 for the in-memory bus). */
  readonly busReconnects?: () => number;
  /** This node's id: a `node` label on every metric. */
  readonly nodeId?: string;
  /** The commit running (`gateway_build_info`), when the deployment says. */
  readonly commit?: string;
}

/**
 * The node's Prometheus metrics (prom-client): connections by state, rooms,
 * spectators, bindings, frames and bytes in and out, log events and why any
 * were dropped, rate-limit hits, backend call latency and errors, bus state.
 * Values are read from the gateway when scraped, so the hot paths only bump
 * plain counters.
 */
export class Metrics {
  readonly registry: client.Registry = new client.Registry();
  readonly #calls: client.Histogram<"method" | "outcome">;

  constructor(gateway: MetricsSubject, sources: MetricsSources = {}) {
    const r = this.registry;
    if (sources.nodeId !== undefined) r.setDefaultLabels({ node: sources.nodeId });
    registerProcessMetrics(r, { commit: sources.commit ?? "unknown" });
    const counter = (name: string, help: string, read: () => number) => {
      let last = 0;
      new client.Counter({
        name,
        help,
        registers: [r],
        collect() {
          const now = read();
          if (now > last) this.inc(now - last);
          last = now;
        },
      });
    };
    const labelled = (
      name: string,
      help: string,
      label: string,
      read: () => ReadonlyMap<string | number, number>,
    ) =>
      new client.Counter({
        name,
        help,
        labelNames: [label],
        registers: [r],
        collect() {
          this.reset();
          for (const [value, n] of read()) this.inc({ [label]: String(value) }, n);
        },
      });
    const gauge = (name: string, help: string, read: () => number) =>
      new client.Gauge({
        name,
        help,
        registers: [r],
        collect() {
          this.set(read());
        },
      });

    new client.Gauge({
      name: "gateway_connections",
      help: "Open WebSocket connections by state",
      labelNames: ["state"],
      registers: [r],
      collect() {
        const c = gateway.counts();
        this.set({ state: "unauthenticated" }, c.unauthenticated);
        this.set({ state: "authenticated" }, c.authenticated);
      },
    });
    gauge("gateway_users", "Distinct elevated users connected", () => gateway.counts().users);
    gauge(
      "gateway_guild_rooms",
      "Guilds with at least one spectator",
      () => gateway.counts().guilds,
    );
    gauge("gateway_spectators", "Spectating connections", () => gateway.counts().spectators);
    gauge(
      "gateway_bus_bindings",
      "Bus topics bound for this node's spectators",
      () => gateway.counts().bindings,
    );
    gauge("gateway_bus_ready", "1 while the bus is connected", () => (gateway.bus.ready ? 1 : 0));
    gauge("gateway_pending_requests", "Requests in flight", () => {
      let n = 0;
      for (const connection of gateway.connections) n += connection.pendingCount;
      return n;
    });
    const c = gateway.counters;
    counter("gateway_connections_opened_total", "Connections opened", () => c.connectionsOpened);
    labelled(
      "gateway_connections_closed_total",
      "Connections closed, by close code",
      "code",
      () => c.closeCodes,
    );
    labelled(
      "gateway_upgrades_refused_total",
      "WebSocket upgrades refused, by reason",
      "reason",
      () => c.upgradesRefused,
    );
    counter("gateway_received_frames_total", "Frames received from clients", () => c.framesIn);
    counter("gateway_received_bytes_total", "Bytes received from clients", () => c.bytesIn);
    counter(
      "gateway_sent_frames_total",
      "Frames sent to clients",
      () => gateway.traffic.framesOut,
    );
    counter(
      "gateway_sent_bytes_total",
      "Bytes (UTF-8) sent to clients",
      () => gateway.traffic.bytesOut,
    );
    const s = gateway.signOuts.counters;
    counter("gateway_sign_outs_total", "Sign-outs applied on this node", () => s.applied);
    counter(
      "gateway_signed_out_connections_total",
      "Connections demoted by a sign-out",
      () => s.signedOut,
    );
    const a = gateway.accessWatch.counters;
    counter("gateway_access_rechecks_total", "Spectator access decided again", () => a.rechecks);
    counter(
      "gateway_access_ended_total",
      "Spectates ended because access was withdrawn",
      () => a.ended,
    );
    counter(
      "gateway_overloaded_refused_total",
      "Expensive requests refused over the node's send budget",
      () => gateway.budget.refused,
    );
    gauge(
      "gateway_unsent_bytes",
      "Bytes waiting to be written to every socket",
      () => gateway.budget.unsent,
    );
    counter(
      "gateway_rate_limited_total",
      "Frames refused by the rate limiter",
      () => c.rateLimited,
    );
    counter("gateway_bad_frames_total", "Frames answered with a decoding error", () => c.badFrames);
    counter(
      "gateway_busy_refused_total",
      "Requests refused because their connection had too many in flight",
      () => c.busy,
    );
    counter(
      "gateway_oversize_closed_total",
      "Connections closed for an oversize frame",
      // The transport refuses an oversized frame from its header; the pipeline checks again
      // (a frame of many multi-byte characters): both close with 1009.
      () => c.closeCodes.get(1009) ?? 0,
    );
    counter(
      "gateway_requests_cancelled_total",
      "Requests cancelled by a disconnect",
      () => c.requestsCancelled,
    );
    const logs = gateway.streams.logs.counters;
    counter(
      "gateway_log_events_received_total",
      "Log events received from the bus",
      () => logs.received,
    );
    counter(
      "gateway_log_events_sent_total",
      "Log event deliveries to connections",
      () => logs.sent,
    );
    counter("gateway_log_frames_total", "log_other frames sent live", () => logs.frames);
    new client.Counter({
      name: "gateway_events_dropped_total",
      help: "Events not delivered, by reason",
      labelNames: ["reason"],
      registers: [r],
      collect() {
        this.reset();
        this.inc({ reason: "slow_consumer" }, logs.dropped);
        this.inc(
          { reason: "malformed" },
          logs.malformed + gateway.streams.poolUpdates.malformed +
            gateway.signOuts.counters.malformed,
        );
      },
    });
    counter(
      "gateway_slow_consumers_closed_total",
      "Connections closed as slow consumers",
      () => logs.slowClosed,
    );
    counter(
      "gateway_bus_reconnects_total",
      "Reconnections of the bus",
      () => sources.busReconnects?.() ?? 0,
    );
    this.#calls = new client.Histogram({
      name: "gateway_backend_call_seconds",
      help: "Backend (shard RPC) call latency by method and outcome",
      labelNames: ["method", "outcome"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [r],
    });
  }

  /** Records one backend call. */
  readonly observeCall: CallObserver = (method, seconds, outcome) => {
    this.#calls.observe({ method, outcome }, seconds);
  };

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
