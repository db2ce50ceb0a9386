import { type Bus, type BusHandler, guildTopic } from "../bus/mod.ts";
import type { Connection, Spectating } from "../connection/connection.ts";
import { BindingCounter } from "./binding_counter.ts";
import type { LogDelivery } from "./log_delivery.ts";

/** One spectator of a guild: what it may see, and its log stream when it asked for one. */
export interface RoomMember {
  readonly connection: Connection;
  readonly spectating: Spectating;
  readonly logs: LogDelivery | null;
}

/**
 * The guild rooms of one node: who spectates which guild, with the
 * categories each may see. Bus bindings follow them: the first spectator
 * of a guild's category binds its topic, the last one leaving unbinds it.
 * A connection is in at most one room.
 */
export class GuildRooms {
  readonly #guilds = new Map<string, Map<Connection, RoomMember>>();
  #logSpectators = 0;
  readonly bindings: BindingCounter;

  constructor(bus: Bus, onMessage: BusHandler, onBindError?: (e: unknown, topic: string) => void) {
    this.bindings = new BindingCounter(bus, onMessage, onBindError);
  }

  /** Joins a guild room (leaving any other); resolves once its bus bindings are in place. */
  async join(
    connection: Connection,
    spectating: Spectating,
    logs: LogDelivery | null = null,
  ): Promise<void> {
    await this.leave(connection);
    connection.watch(spectating);
    if (logs !== null) this.#logSpectators++;
    let room = this.#guilds.get(spectating.guildId);
    if (room === undefined) this.#guilds.set(spectating.guildId, room = new Map());
    room.set(connection, { connection, spectating, logs });
    await Promise.all(
      [...spectating.categories].map((c) =>
        this.bindings.acquire(guildTopic(spectating.guildId, c))
      ),
    );
  }

  /** Leaves the guild room, if any, releasing its bindings. */
  async leave(connection: Connection): Promise<void> {
    const spectating = connection.unwatch();
    if (spectating === null) return;
    const room = this.#guilds.get(spectating.guildId);
    const member = room?.get(connection);
    if (member?.logs != null) this.#logSpectators--;
    room?.delete(connection);
    if (room?.size === 0) this.#guilds.delete(spectating.guildId);
    await Promise.all(
      [...spectating.categories].map((c) =>
        this.bindings.release(guildTopic(spectating.guildId, c))
      ),
    );
  }

  /** The room entry of a connection, when it spectates. */
  memberOf(connection: Connection): RoomMember | undefined {
    const guildId = connection.spectating?.guildId;
    return guildId === undefined ? undefined : this.#guilds.get(guildId)?.get(connection);
  }

  /** Spectators of a guild. */
  members(guildId: string): Iterable<RoomMember> {
    return this.#guilds.get(guildId)?.values() ?? NONE;
  }

  /** Guilds with at least one spectator on this node. */
  guildIds(): IterableIterator<string> {
    return this.#guilds.keys();
  }

  /** Connections on this node receiving a log stream. */
  get logSpectators(): number {
    return this.#logSpectators;
  }

  /** Room sizes, for metrics and leak tests. */
  counts(): { guilds: number; spectators: number; bindings: number } {
    let spectators = 0;
    for (const room of this.#guilds.values()) spectators += room.size;
    return { guilds: this.#guilds.size, spectators, bindings: this.bindings.held.size };
  }
}

const NONE: Iterable<RoomMember> = [];
