import { type Bus, type BusHandler, guildAccessTopic, guildTopic } from "../bus/mod.ts";
import type { Connection, Spectating } from "../connection/connection.ts";
import { BindingCounter } from "./binding_counter.ts";
import type { LogDelivery } from "./log_delivery.ts";

/** One spectator of a guild: what it may see, and its log stream when it has one. */
export interface RoomMember {
  readonly connection: Connection;
  readonly spectating: Spectating;
  /** Whether it asked for the log stream (granted or not). */
  readonly wantsLogs: boolean;
  readonly logs: LogDelivery | null;
}

/** The topics a spectator needs: its categories, and the guild's access changes. */
function topicsOf(spectating: Spectating): string[] {
  return [
    guildAccessTopic(spectating.guildId),
    ...[...spectating.categories].map((c) => guildTopic(spectating.guildId, c)),
  ];
}

/**
 * The guild rooms of one node: who spectates which guild, with the
 * categories each may see. Bus bindings follow them: the first spectator
 * of a guild's category binds its topic, the last one leaving unbinds it;
 * a guild's access topic is bound while it has any spectator. A connection
 * is in at most one room.
 */
export class GuildRooms {
  readonly #guilds = new Map<string, Map<Connection, RoomMember>>();
  #logSpectators = 0;
  readonly bindings: BindingCounter;

  constructor(bus: Bus, onMessage: BusHandler, onBindError?: (e: unknown, topic: string) => void) {
    this.bindings = new BindingCounter(bus, onMessage, onBindError);
  }

  /** Joins a guild room (leaving any other); resolves once its bus bindings are in place. */
  async join(member: RoomMember): Promise<void> {
    const { connection, spectating } = member;
    await this.leave(connection);
    connection.watch(spectating);
    if (member.logs !== null) this.#logSpectators++;
    let room = this.#guilds.get(spectating.guildId);
    if (room === undefined) this.#guilds.set(spectating.guildId, room = new Map());
    room.set(connection, member);
    await Promise.all(topicsOf(spectating).map((t) => this.bindings.acquire(t)));
  }

  /**
   * Replaces a spectator's entry in its room (its access changed): binds
   * the topics it gained, then releases those it lost. False when the
   * connection no longer spectates that guild.
   */
  async update(member: RoomMember): Promise<boolean> {
    const { connection, spectating } = member;
    const room = this.#guilds.get(spectating.guildId);
    const was = room?.get(connection);
    if (room === undefined || was === undefined) return false;
    room.set(connection, member);
    connection.watch(spectating);
    this.#logSpectators += (member.logs !== null ? 1 : 0) - (was.logs !== null ? 1 : 0);
    const before = new Set(topicsOf(was.spectating));
    const after = new Set(topicsOf(spectating));
    await Promise.all(
      [...after].filter((t) => !before.has(t)).map((t) => this.bindings.acquire(t)),
    );
    await Promise.all(
      [...before].filter((t) => !after.has(t)).map((t) => this.bindings.release(t)),
    );
    return true;
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
    // The topics of the entry in the room: an update may have changed them since the join.
    const topics = topicsOf(member?.spectating ?? spectating);
    await Promise.all(topics.map((t) => this.bindings.release(t)));
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
