import type { Principal } from "../auth/mod.ts";
import { Connection, type Traffic } from "../connection/connection.ts";
import type { InboundLimits } from "../connection/inbound_limiter.ts";
import type { OutboundLimits } from "../connection/connection.ts";
import type { DemoteReason, Elevation } from "../handlers/mod.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import { LogSampler } from "../observability/log_sampler.ts";
import type { GuildStreams } from "../streams/guild_streams.ts";
import { CloseCode } from "../protocol/mod.ts";
import type { Transport } from "../transport/mod.ts";

/** How many connections a node takes, and how long an idle one may stay. */
export interface ConnectionLimits {
  readonly max: number;
  readonly perIp: number;
  /** A connection that never elevates and never asks anything is closed after this (4011). */
  readonly idleTimeoutMs: number;
}

/** Whether a new connection may open: yes, or which cap it hit. */
export type Admission = "ok" | "node_full" | "peer_full";

/** What the registry counts (exported as metrics). */
export interface ConnectionCounters {
  connectionsOpened: number;
  connectionsClosed: number;
  /** Requests cancelled because their connection closed. */
  requestsCancelled: number;
  /** Connections closed, by close code (0: closed without a code). */
  closeCodes: Map<number, number>;
}

/**
 * The connections of one node and their rooms: every connection starts in
 * the unauthenticated room; an elevated one is in its own authenticated
 * room (`<sid>_auth`), indexed by user id so that a user's connections can
 * be reached together (sign-out, access changes).
 */
export class Connections implements Elevation {
  readonly #all = new Set<Connection>();
  readonly #unauthenticated = new Set<Connection>();
  readonly #authenticated = new Set<Connection>();
  readonly #users = new Map<string, Set<Connection>>();
  readonly #peers = new Map<string, number>();
  readonly #streams: GuildStreams;
  readonly #diagnostics: Diagnostics;
  readonly #limits: InboundLimits;
  readonly #outbound: OutboundLimits;
  readonly #traffic: Traffic;
  readonly #counters: ConnectionCounters;
  readonly #caps: ConnectionLimits;
  readonly #sampler: LogSampler;
  #nextId = 0;

  constructor(
    options: {
      streams: GuildStreams;
      diagnostics: Diagnostics;
      limits: InboundLimits;
      outbound: OutboundLimits;
      traffic: Traffic;
      counters: ConnectionCounters;
      caps: ConnectionLimits;
    },
  ) {
    this.#streams = options.streams;
    this.#diagnostics = options.diagnostics;
    this.#limits = options.limits;
    this.#outbound = options.outbound;
    this.#traffic = options.traffic;
    this.#counters = options.counters;
    this.#caps = options.caps;
    this.#sampler = new LogSampler(options.diagnostics, { perSecond: 20 });
  }

  /** Whether a new connection from `peer` may open now. */
  admission(peer: string): Admission {
    if (this.#all.size >= this.#caps.max) return "node_full";
    if ((this.#peers.get(peer) ?? 0) >= this.#caps.perIp) return "peer_full";
    return "ok";
  }

  /** Live connections. */
  get size(): number {
    return this.#all.size;
  }

  [Symbol.iterator](): IterableIterator<Connection> {
    return this.#all.values();
  }

  /** Starts a connection, elevated from the start when the upgrade carried a valid cookie. */
  open(transport: Transport, principal: Principal | null, peer = "unknown"): Connection {
    const id = `${(++this.#nextId).toString(36)}${crypto.randomUUID().slice(0, 6)}`;
    const connection: Connection = new Connection({
      id,
      peer,
      transport,
      log: this.#diagnostics.with({ sid: id }),
      limits: this.#limits,
      outbound: this.#outbound,
      traffic: this.#traffic,
      onTerminate: () => void this.close(connection),
    });
    this.#all.add(connection);
    this.#peers.set(peer, (this.#peers.get(peer) ?? 0) + 1);
    this.#unauthenticated.add(connection);
    this.#closeIfIdle(connection);
    this.#counters.connectionsOpened++;
    if (principal !== null) this.elevate(connection, principal);
    this.#sampler.info(connection.log, "connection opened", {
      peer,
      elevated: principal !== null,
    });
    return connection;
  }

  /**
   * Releases everything a closed connection held. `code` is the close code
   * the socket closed with (the server's, when it closed first).
   */
  async close(connection: Connection, code?: number): Promise<void> {
    if (!this.#all.delete(connection)) return;
    const closeCode = connection.closeCode ?? code ?? 0;
    this.#counters.closeCodes.set(closeCode, (this.#counters.closeCodes.get(closeCode) ?? 0) + 1);
    const left = (this.#peers.get(connection.peer) ?? 1) - 1;
    if (left > 0) this.#peers.set(connection.peer, left);
    else this.#peers.delete(connection.peer);
    this.#counters.connectionsClosed++;
    this.#counters.requestsCancelled += connection.pendingCount;
    connection.dispose();
    this.#unauthenticated.delete(connection);
    this.#leaveAuthenticated(connection);
    await this.#streams.leave(connection);
    this.#sampler.info(connection.log, "connection closed", {
      peer: connection.peer,
      code: closeCode,
      user: connection.principal?.userId,
      seconds: Math.round((Date.now() - connection.openedAt) / 1000),
    });
  }

  /** Closes the connection (4011) if it is still idle when the idle timeout runs out. */
  #closeIfIdle(connection: Connection): void {
    const timer = setTimeout(() => {
      if (connection.closed || connection.active) return;
      connection.log.info("closing idle connection");
      connection.terminate(CloseCode.idleTimeout, "idle");
    }, this.#caps.idleTimeoutMs);
    connection.onDispose(() => clearTimeout(timer));
  }

  elevate(connection: Connection, principal: Principal): void {
    connection.elevate(principal, () => void this.demote(connection, "expired"));
    this.#unauthenticated.delete(connection);
    this.#authenticated.add(connection);
    let set = this.#users.get(principal.userId);
    if (set === undefined) this.#users.set(principal.userId, set = new Set());
    set.add(connection);
    connection.log.info("elevated", { user: principal.userId });
  }

  async demote(connection: Connection, reason: DemoteReason): Promise<void> {
    if (connection.principal === null) return;
    await this.#streams.leave(connection);
    this.#leaveAuthenticated(connection);
    if (!connection.closed) this.#unauthenticated.add(connection);
    connection.demote();
    connection.log.info("demoted", { reason });
    connection.send({ _event: "demoted", reason });
  }

  #leaveAuthenticated(connection: Connection): void {
    this.#authenticated.delete(connection);
    const userId = connection.principal?.userId;
    if (userId === undefined) return;
    const set = this.#users.get(userId);
    set?.delete(connection);
    if (set?.size === 0) this.#users.delete(userId);
  }

  /** Every connection of `userId` on this node. */
  ofUser(userId: string): Connection[] {
    return [...this.#users.get(userId) ?? []];
  }

  /** Room sizes, for metrics and leak tests. */
  counts(): { unauthenticated: number; authenticated: number; users: number } {
    return {
      unauthenticated: this.#unauthenticated.size,
      authenticated: this.#authenticated.size,
      users: this.#users.size,
    };
  }
}
