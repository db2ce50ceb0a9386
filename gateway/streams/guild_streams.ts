import type { Backend } from "../backend/backend.ts";
import { type Bus, type Category, parseGuildTopic } from "../bus/mod.ts";
import type { Connection } from "../connection/connection.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import { type Access, ArchitusPermission, hasPermission } from "../protocol/mod.ts";
import { GuildRooms } from "./guild_rooms.ts";
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

/** What a spectate joined; `deliverReplay` runs once the answer is sent. */
export interface SpectateOutcome {
  readonly categories: readonly Category[];
  readonly logs: "not_requested" | "granted" | "refused";
  /** Set on a resume: whether every event after `since` is replayed. */
  readonly recovered?: boolean;
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
    if (parsed.category === "pool") this.poolUpdates.deliver(parsed.guildId, body);
    else this.logs.onMessage(parsed.guildId, parsed.category === "log.private", body);
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
    const categories = new Set<Category>(["pool"]);
    const publicLogs = hasPermission(access.permissions, ArchitusPermission.VIEW_PUBLIC_LOGS);
    const privateLogs = hasPermission(access.permissions, ArchitusPermission.VIEW_PRIVATE_LOGS);
    const logs = request.includeLogs && publicLogs;
    if (logs) categories.add("log.public");
    if (logs && privateLogs) categories.add("log.private");
    const since = logs ? request.since : undefined;
    const delivery = logs
      ? new LogDelivery({
        connection,
        guildId,
        includePrivate: privateLogs,
        limits: this.#options,
        replaying: since !== undefined,
      })
      : null;
    await this.rooms.join(connection, { guildId, access, categories }, delivery);
    const outcome = {
      categories: [...categories],
      logs: !request.includeLogs
        ? "not_requested" as const
        : logs
        ? "granted" as const
        : "refused" as const,
    };
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
      deliverReplay: () => delivery.finishReplay(replay.events),
    };
  }

  /** Every log stream on this node (one per connection that receives logs). */
  *logStreams(): IterableIterator<LogDelivery> {
    for (const guildId of this.rooms.guildIds()) {
      for (const member of this.rooms.members(guildId)) if (member.logs !== null) yield member.logs;
    }
  }

  /** Leaves the guild the connection spectates, if any. */
  leave(connection: Connection): Promise<void> {
    return this.rooms.leave(connection);
  }

  /** Tells every log spectator that events may have been lost (the bus was down). */
  notifyOutage(): void {
    this.logs.notifyOutage();
  }

  /** Stops timers. */
  shutdown(): void {
    this.logs.shutdown();
  }
}
