import type { Backend } from "../backend/backend.ts";
import { type Bus, type Category, decodeAccessChange, parseGuildTopic } from "../bus/mod.ts";
import type { Connection } from "../connection/connection.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import { type Access, ArchitusPermission, hasPermission } from "../protocol/mod.ts";
import { GuildRooms, type RoomMember } from "./guild_rooms.ts";
import { LogDelivery } from "./log_delivery.ts";
import { LogRelay, type RelayOptions } from "./log_relay.ts";
import { PoolUpdateRelay } from "./pool_update_relay.ts";
import { readReplay } from "./replay.ts";

export interface StreamOptions extends RelayOptions {
  /** At most this many events are replayed on a resume; more is `recovered: false`. */
  readonly maxReplay: number;
}

/** What a connection asks to watch, with the access the backend granted it there. */
export interface SpectateRequest {
  readonly guildId: string;
  readonly access: Access;
  readonly includeLogs: boolean;
  /** Resume the log stream after this event id. */
  readonly since?: string | undefined;
}

/** What a spectator receives, given its access and whether it asked for logs. */
export interface Grant {
  readonly categories: readonly Category[];
  readonly logs: "not_requested" | "granted" | "refused";
  readonly privateLogs: boolean;
}

/** The categories `access` allows: pool always, logs when asked for and permitted. */
export function grantFor(access: Access, wantsLogs: boolean): Grant {
  const publicLogs = hasPermission(access.permissions, ArchitusPermission.VIEW_PUBLIC_LOGS);
  const privateLogs = hasPermission(access.permissions, ArchitusPermission.VIEW_PRIVATE_LOGS);
  const categories: Category[] = ["pool"];
  if (wantsLogs && publicLogs) categories.push("log.public");
  if (wantsLogs && publicLogs && privateLogs) categories.push("log.private");
  return {
    categories,
    logs: !wantsLogs ? "not_requested" : publicLogs ? "granted" : "refused",
    privateLogs: wantsLogs && publicLogs && privateLogs,
  };
}

/** Why the server ended a spectate. */
export type EndReason = "not_a_member" | "access_unverified";

/** What a spectate joined; `deliverReplay` runs once the answer is sent. */
export interface SpectateOutcome {
  readonly categories: readonly Category[];
  readonly logs: "not_requested" | "granted" | "refused";
  /** Set on a resume: whether every event after `since` is replayed. */
  readonly recovered?: boolean;
  /** Set on a resume: how many events `deliverReplay` sends. */
  readonly replayed?: number;
  readonly deliverReplay?: () => void;
}

/**
 * Everything that streams a guild to its spectators on one node: the guild
 * rooms and their bus bindings, the relays of log events and pool updates,
 * and the resume of a log stream from history. Bus messages of
 * `guild.<id>.*` arrive here and go to the spectators who may see them.
 */
export class GuildStreams {
  readonly rooms: GuildRooms;
  readonly logs: LogRelay;
  readonly poolUpdates: PoolUpdateRelay;
  readonly #backend: Backend;
  readonly #options: StreamOptions;
  readonly #diagnostics: Diagnostics;
  readonly #accessListeners: Array<(guildId: string, userId: string | null) => void> = [];
  /** Access messages dropped because they could not be read. */
  accessMalformed = 0;

  constructor(
    options: { bus: Bus; backend: Backend; streams: StreamOptions; diagnostics: Diagnostics },
  ) {
    this.#backend = options.backend;
    this.#options = options.streams;
    this.#diagnostics = options.diagnostics;
    this.rooms = new GuildRooms(
      options.bus,
      (topic, body) => this.#onMessage(topic, body),
      (error, topic) => this.#diagnostics.warn("bus binding failed", { topic, error }),
    );
    this.poolUpdates = new PoolUpdateRelay(this.rooms, this.#diagnostics);
    this.logs = new LogRelay(this.rooms, options.streams, this.#diagnostics);
  }

  #onMessage(topic: string, body: string): void {
    const parsed = parseGuildTopic(topic);
    if (parsed === null) return;
    if (parsed.kind === "pool") this.poolUpdates.deliver(parsed.guildId, body);
    else if (parsed.kind === "access") this.#onAccessMessage(parsed.guildId, body);
    else this.logs.onMessage(parsed.guildId, parsed.kind === "log.private", body);
  }

  #onAccessMessage(guildId: string, body: string): void {
    const change = decodeAccessChange(body);
    if (!change.ok) {
      this.accessMalformed++;
      this.#diagnostics.warn("dropped a malformed access change", {
        guild: guildId,
        reason: change.reason,
      });
      return;
    }
    for (const listener of this.#accessListeners) listener(guildId, change.value.userId);
  }

  /** Observes access changes of watched guilds (`userId` null: every member). */
  onAccessChange(listener: (guildId: string, userId: string | null) => void): void {
    this.#accessListeners.push(listener);
  }

  /**
   * Joins `connection` to the guild's room with exactly the categories its
   * access allows. With `since`, the log stream resumes after that event:
   * the room is joined first and live events are held, the history after
   * `since` is read, and `deliverReplay` (run once the answer is out) sends
   * it, then the held events newer than it, so nothing is missed or sent
   * twice. Resolves null when the connection left or switched meanwhile.
   */
  async spectate(
    connection: Connection,
    request: SpectateRequest,
    signal: AbortSignal,
  ): Promise<SpectateOutcome | null> {
    const { guildId, access } = request;
    const grant = grantFor(access, request.includeLogs);
    const logs = grant.logs === "granted";
    const since = logs ? request.since : undefined;
    const delivery = logs ? this.#delivery(connection, guildId, grant, since !== undefined) : null;
    await this.rooms.join({
      connection,
      spectating: {
        guildId,
        access,
        categories: new Set(grant.categories),
        checkedAt: Date.now(),
      },
      wantsLogs: request.includeLogs,
      logs: delivery,
    });
    const outcome = { categories: grant.categories, logs: grant.logs };
    const privateLogs = grant.privateLogs;
    if (since === undefined || delivery === null) return outcome;
    let replay;
    try {
      replay = await readReplay(this.#backend, {
        guildId,
        since,
        includePrivate: privateLogs,
        max: this.#options.maxReplay,
      }, signal);
    } catch (error) {
      // Without history the stream still goes on live; the client must reload.
      this.#diagnostics.warn("log replay failed", { guild: guildId, error });
      replay = { recovered: false, events: [] };
    }
    if (this.rooms.memberOf(connection)?.logs !== delivery) return null;
    return {
      ...outcome,
      recovered: replay.recovered,
      replayed: replay.events.length,
      deliverReplay: () => delivery.finishReplay(replay.events),
    };
  }

  /** Every log stream on this node (one per connection that receives logs). */
  *logStreams(): IterableIterator<LogDelivery> {
    for (const guildId of this.rooms.guildIds()) {
      for (const member of this.rooms.members(guildId)) if (member.logs !== null) yield member.logs;
    }
  }

  #delivery(
    connection: Connection,
    guildId: string,
    grant: Grant,
    replaying: boolean,
  ): LogDelivery {
    return new LogDelivery({
      connection,
      guildId,
      includePrivate: grant.privateLogs,
      limits: this.#options,
      replaying,
    });
  }

  /**
   * Applies a re-checked access to a connection still watching the guild:
   * the categories follow it at once (a member who lost VIEW_PRIVATE_LOGS
   * stops receiving private events before anything else is sent). Returns
   * the new grant when anything the client sees changed, null otherwise.
   */
  async reaccess(connection: Connection, access: Access): Promise<Grant | null> {
    const member = this.rooms.memberOf(connection);
    if (member === undefined) return null;
    const was = member.spectating;
    const grant = grantFor(access, member.wantsLogs);
    const same = was.access.tier === access.tier && was.access.permissions === access.permissions &&
      sameCategories(was.categories, grant.categories);
    const keepLogs = member.logs !== null && grant.logs === "granted" &&
      member.logs.includePrivate === grant.privateLogs;
    const logs = keepLogs
      ? member.logs
      : grant.logs === "granted"
      ? this.#delivery(connection, was.guildId, grant, false)
      : null;
    await this.rooms.update({
      ...member,
      spectating: { ...was, access, categories: new Set(grant.categories), checkedAt: Date.now() },
      logs,
    });
    return same ? null : grant;
  }

  /** Ends a spectate the server withdrew, and tells the client why. */
  async end(connection: Connection, reason: EndReason): Promise<void> {
    const guildId = connection.spectating?.guildId;
    if (guildId === undefined) return;
    await this.rooms.leave(connection);
    connection.send({ _event: "spectate_ended", guild_id: guildId, reason });
  }

  /** Every spectator on this node (a snapshot). */
  spectators(): RoomMember[] {
    const all: RoomMember[] = [];
    for (const guildId of this.rooms.guildIds()) all.push(...this.rooms.members(guildId));
    return all;
  }

  /** Leaves the guild the connection spectates, if any. */
  leave(connection: Connection): Promise<void> {
    return this.rooms.leave(connection);
  }

  /** The bus is back after a loss: every log spectator is owed an exact gap (see `LogRelay`). */
  busResumed(): void {
    this.logs.busResumed();
  }

  /** Stops timers. */
  shutdown(): void {
    this.logs.shutdown();
  }
}

function sameCategories(a: ReadonlySet<Category>, b: readonly Category[]): boolean {
  return a.size === b.length && b.every((c) => a.has(c));
}
