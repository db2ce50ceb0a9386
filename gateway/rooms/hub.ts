import { type Bus, type BusHandler, type Category, guildTopic } from "../bus/mod.ts";
import type { Session, Spectating } from "../session/session.ts";
import { BindingCounter } from "./binding_counter.ts";
import type { LogDelivery } from "../logs/log_delivery.ts";

/**
 * The rooms of one gateway node:
 * - the unauthenticated room (every connection starts there);
 * - one authenticated room per connection (`<sid>_auth`), indexed by user
 *   id so a user's connections can be reached together;
 * - guild rooms: who spectates which guild, with the categories each may
 *   see. Bus bindings follow them: the first spectator of a guild's
 *   category binds its topic, the last one leaving unbinds it.
 */
export class Hub {
  readonly #unauthenticated = new Set<Session>();
  readonly #authenticated = new Set<Session>();
  readonly #users = new Map<string, Set<Session>>();
  readonly #guilds = new Map<string, Set<Session>>();
  #logSpectators = 0;
  readonly bindings: BindingCounter;

  constructor(bus: Bus, onMessage: BusHandler, onBindError?: (e: unknown, topic: string) => void) {
    this.bindings = new BindingCounter(bus, onMessage, onBindError);
  }

  /** A new connection enters the unauthenticated room. */
  add(session: Session): void {
    this.#unauthenticated.add(session);
  }

  /** Moves an elevated connection into its authenticated room. */
  authenticate(session: Session): void {
    const userId = session.principal?.userId;
    if (userId === undefined) return;
    this.#unauthenticated.delete(session);
    this.#authenticated.add(session);
    let set = this.#users.get(userId);
    if (set === undefined) this.#users.set(userId, set = new Set());
    set.add(session);
  }

  /** Moves a connection back to the unauthenticated room (before `session.demote()`). */
  unauthenticate(session: Session): void {
    const userId = session.principal?.userId;
    this.#authenticated.delete(session);
    if (!session.closed) this.#unauthenticated.add(session);
    if (userId === undefined) return;
    const set = this.#users.get(userId);
    set?.delete(session);
    if (set?.size === 0) this.#users.delete(userId);
  }

  /** Every connection of `userId` on this node. */
  sessionsOf(userId: string): Session[] {
    return [...this.#users.get(userId) ?? []];
  }

  /** Joins a guild room; resolves once its bus bindings are in place. */
  async spectate(
    session: Session,
    spectating: Spectating,
    logs: LogDelivery | null = null,
  ): Promise<void> {
    await this.leave(session);
    session.spectating = spectating;
    session.logs = logs;
    if (logs !== null) this.#logSpectators++;
    let set = this.#guilds.get(spectating.guildId);
    if (set === undefined) this.#guilds.set(spectating.guildId, set = new Set());
    set.add(session);
    await Promise.all(
      [...spectating.categories].map((c) =>
        this.bindings.acquire(guildTopic(spectating.guildId, c))
      ),
    );
  }

  /** Leaves the guild room, if any, releasing its bindings. */
  async leave(session: Session): Promise<void> {
    const spectating = session.spectating;
    if (spectating === null) return;
    session.spectating = null;
    if (session.logs !== null) this.#logSpectators--;
    session.logs = null;
    const set = this.#guilds.get(spectating.guildId);
    set?.delete(session);
    if (set?.size === 0) this.#guilds.delete(spectating.guildId);
    await Promise.all(
      [...spectating.categories].map((c: Category) =>
        this.bindings.release(guildTopic(spectating.guildId, c))
      ),
    );
  }

  /** Connections on this node receiving a log stream. */
  get logSpectators(): number {
    return this.#logSpectators;
  }

  /** Guilds with at least one spectator on this node. */
  guildIds(): IterableIterator<string> {
    return this.#guilds.keys();
  }

  /** Spectators of a guild. */
  spectators(guildId: string): ReadonlySet<Session> {
    return this.#guilds.get(guildId) ?? EMPTY;
  }

  /** Removes a closed connection from every room. */
  async remove(session: Session): Promise<void> {
    this.#unauthenticated.delete(session);
    this.unauthenticate(session);
    await this.leave(session);
  }

  /** Room sizes, for metrics and leak tests. */
  counts(): {
    unauthenticated: number;
    authenticated: number;
    users: number;
    guilds: number;
    spectators: number;
    bindings: number;
  } {
    let spectators = 0;
    for (const set of this.#guilds.values()) spectators += set.size;
    return {
      unauthenticated: this.#unauthenticated.size,
      authenticated: this.#authenticated.size,
      users: this.#users.size,
      guilds: this.#guilds.size,
      spectators,
      bindings: this.bindings.held.size,
    };
  }
}

const EMPTY: ReadonlySet<Session> = new Set();
