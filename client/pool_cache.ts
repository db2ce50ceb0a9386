// This module is browser-compatible.
import {
  type AutoResponse,
  type Channel,
  type CustomEmoji,
  type Guild,
  isGuildPool,
  LIMITS,
  type Member,
  type PartialGuild,
  type PartialUser,
  POOL_TYPE_ALIASES,
  POOL_TYPES,
  type PoolType,
  type Role,
  type ServerFrameOf,
  type SettingValue,
  type User,
} from "../gateway/protocol/mod.ts";
import type { GatewayClient, RequestOptions } from "./gateway_client.ts";

/** The entity each pool holds. The cache trusts the gateway for the shapes. */
export interface PoolEntityMap {
  member: Member;
  channel: Channel;
  role: Role;
  customEmoji: CustomEmoji;
  auto_response: AutoResponse;
  setting_value: SettingValue;
  user: User;
  partial_user: PartialUser;
  guild: Guild;
  partial_guild: PartialGuild;
}

/** What the cache needs of a client; a `GatewayClient` is one. */
export type PoolSource = Pick<GatewayClient, "request" | "stream" | "on" | "onState">;

/** An immutable view of one pool; a new object after every change. */
export interface PoolSnapshot<T> {
  readonly entities: ReadonlyMap<string, T>;
  readonly nonexistent: ReadonlySet<string>;
  /** Every entity was loaded by `all()`, and no reconnect happened since. */
  readonly fullyPopulated: boolean;
  /** Grows with every change, for cheap comparisons. */
  readonly version: number;
}

/** Which pool changed, and which ids in it. */
export interface PoolChange {
  readonly type: PoolType;
  readonly guildId: string | null;
  readonly ids: readonly string[];
}

export type PoolListener = (change: PoolChange) => void;

/** The answer of `get()`: found entities in the order asked, and ids known not to exist. */
export interface PoolLookup<T> {
  readonly entities: T[];
  readonly nonexistent: string[];
}

interface PoolState {
  readonly entities: Map<string, unknown>;
  readonly nonexistent: Set<string>;
  fullyPopulated: boolean;
  version: number;
  snapshot: PoolSnapshot<unknown> | undefined;
  /** Ids being requested, to the request loading them. */
  readonly loading: Map<string, Promise<void>>;
  loadingAll: Promise<void> | undefined;
}

const EMPTY: PoolSnapshot<never> = Object.freeze({
  entities: new Map<string, never>(),
  nonexistent: new Set<string>(),
  fullyPopulated: false,
  version: 0,
});

/** The canonical pool name for a name or alias, or undefined for an unknown one. */
export function canonicalPoolType(name: string): PoolType | undefined {
  if ((POOL_TYPES as readonly string[]).includes(name)) return name as PoolType;
  return Object.hasOwn(POOL_TYPE_ALIASES, name) ? POOL_TYPE_ALIASES[name] : undefined;
}

function scopeOf(type: PoolType, guildId: string | null): string | null {
  // Agnostic pools (users, guilds) are one per client, whatever guild asked.
  return isGuildPool(type) ? guildId : null;
}

function keyOf(type: PoolType, scope: string | null): string {
  return `${type}:${scope ?? "*"}`;
}

function idOf(entity: unknown): string | undefined {
  if (typeof entity !== "object" || entity === null) return undefined;
  const id = (entity as { id?: unknown }).id;
  return typeof id === "string" ? id : undefined;
}

/**
 * Entity pools keyed by (type, guild): caches what the gateway sent, asks
 * only for ids it does not know, and follows `log_pool` pushes. Loading
 * members also fills the user pool, so a member's user never needs its own
 * request.
 */
export class PoolCache {
  readonly #pools = new Map<string, PoolState>();
  readonly #listeners = new Set<PoolListener>();

  /** Follows a client's `log_pool` pushes and reconnects; returns the detach function. */
  attach(client: PoolSource): () => void {
    const offPush = client.on("log_pool", (frame) => this.applyPoolEvent(frame));
    const offState = client.onState((state) => {
      // Pushes sent while disconnected are lost, so a full pool may no longer be full.
      if (state === "reconnecting") this.#forgetFullness();
    });
    return () => {
      offPush();
      offState();
    };
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: PoolListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The current view of a pool. */
  snapshot<T extends PoolType>(type: T, guildId: string | null): PoolSnapshot<PoolEntityMap[T]> {
    const pool = this.#pools.get(keyOf(type, scopeOf(type, guildId)));
    if (!pool) return EMPTY;
    pool.snapshot ??= Object.freeze({
      entities: new Map(pool.entities),
      nonexistent: new Set(pool.nonexistent),
      fullyPopulated: pool.fullyPopulated,
      version: pool.version,
    });
    return pool.snapshot as PoolSnapshot<PoolEntityMap[T]>;
  }

  /** One cached entity, without asking the gateway. */
  entity<T extends PoolType>(
    type: T,
    guildId: string | null,
    id: string,
  ): PoolEntityMap[T] | undefined {
    const pool = this.#pools.get(keyOf(type, scopeOf(type, guildId)));
    return pool?.entities.get(id) as PoolEntityMap[T] | undefined;
  }

  /**
   * The entities with these ids: cached ones at once, the rest with one
   * `pool_request` (per 1 000 ids). Ids another call is loading are awaited,
   * not asked for twice.
   */
  async get<T extends PoolType>(
    client: PoolSource,
    type: T,
    guildId: string | null,
    ids: readonly string[],
    options: RequestOptions = {},
  ): Promise<PoolLookup<PoolEntityMap[T]>> {
    const scope = scopeOf(type, guildId);
    const wanted = [...new Set(ids)];
    const askedByUs = new Set<string>();
    for (;;) {
      const pool = this.#pool(type, scope);
      const waits = new Set<Promise<void>>();
      const missing: string[] = [];
      for (const id of wanted) {
        if (pool.entities.has(id) || pool.nonexistent.has(id) || askedByUs.has(id)) continue;
        const loading = pool.loading.get(id);
        if (loading) waits.add(loading);
        else missing.push(id);
      }
      if (missing.length === 0 && waits.size === 0) break;
      const requests: Promise<void>[] = [];
      for (let i = 0; i < missing.length; i += LIMITS.idsPerRequest) {
        const batch = missing.slice(i, i + LIMITS.idsPerRequest);
        for (const id of batch) askedByUs.add(id);
        requests.push(this.#request(client, pool, type, guildId, batch, options));
      }
      // Another caller's failure is not ours: its ids are asked again next round.
      await Promise.all([...requests, ...[...waits].map((wait) => wait.catch(() => {}))]);
    }
    const pool = this.#pool(type, scope);
    const entities: PoolEntityMap[T][] = [];
    const nonexistent: string[] = [];
    for (const id of wanted) {
      const entity = pool.entities.get(id);
      if (entity !== undefined) entities.push(entity as PoolEntityMap[T]);
      else if (pool.nonexistent.has(id)) nonexistent.push(id);
    }
    return { entities, nonexistent };
  }

  /**
   * Every entity of a pool: one `pool_all_request`, then the cache. Callers
   * arriving while it loads share that request (and its options).
   */
  async all<T extends PoolType>(
    client: PoolSource,
    type: T,
    guildId: string | null,
    options: RequestOptions = {},
  ): Promise<PoolEntityMap[T][]> {
    const scope = scopeOf(type, guildId);
    const pool = this.#pool(type, scope);
    if (!pool.fullyPopulated) {
      pool.loadingAll ??= this.#requestAll(client, type, guildId, options).finally(() => {
        pool.loadingAll = undefined;
      });
      await pool.loadingAll;
    }
    return [...this.#pool(type, scope).entities.values()] as PoolEntityMap[T][];
  }

  /**
   * Merges loaded entities and ids the gateway says do not exist. Entities
   * without a string `id` are skipped.
   */
  load(
    type: PoolType,
    guildId: string | null,
    data: readonly unknown[],
    nonexistent: readonly string[] = [],
  ): void {
    const scope = scopeOf(type, guildId);
    const pool = this.#pool(type, scope);
    const changed: string[] = [];
    for (const entity of data) {
      const id = idOf(entity);
      if (id === undefined) continue;
      pool.entities.set(id, entity);
      pool.nonexistent.delete(id);
      changed.push(id);
    }
    for (const id of nonexistent) {
      if (pool.entities.has(id) || pool.nonexistent.has(id)) continue;
      pool.nonexistent.add(id);
      changed.push(id);
    }
    if (changed.length > 0) this.#changed(type, scope, pool, changed);
    if (type === "member") this.#fillUsers(data);
  }

  /** Applies one `log_pool` push. */
  applyPoolEvent(frame: ServerFrameOf<"log_pool">): void {
    const type = canonicalPoolType(frame.type);
    if (type === undefined) return;
    const scope = scopeOf(type, frame.guild_id);
    if (frame.action === "remove") {
      const pool = this.#pool(type, scope);
      pool.entities.delete(frame.id);
      // A removed entity is known not to exist: asking for it again would be wasted.
      pool.nonexistent.add(frame.id);
      this.#changed(type, scope, pool, [frame.id]);
      return;
    }
    const entity = frame.entity;
    if (typeof entity !== "object" || entity === null) return;
    this.load(type, scope, [{ ...entity, id: frame.id }]);
  }

  /** Drops cached pools: all, one type's, or one (type, guild). */
  invalidate(type?: PoolType, guildId?: string | null): void {
    for (const key of [...this.#pools.keys()]) {
      const [keyType, keyScope] = key.split(":") as [PoolType, string];
      if (type !== undefined && keyType !== type) continue;
      if (
        type !== undefined && guildId !== undefined &&
        keyScope !== (scopeOf(type, guildId) ?? "*")
      ) continue;
      const pool = this.#pools.get(key) as PoolState;
      this.#pools.delete(key);
      const scope = keyScope === "*" ? null : keyScope;
      this.#notify({ type: keyType, guildId: scope, ids: [...pool.entities.keys()] });
    }
  }

  #pool(type: PoolType, scope: string | null): PoolState {
    const key = keyOf(type, scope);
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = {
        entities: new Map(),
        nonexistent: new Set(),
        fullyPopulated: false,
        version: 0,
        snapshot: undefined,
        loading: new Map(),
        loadingAll: undefined,
      };
      this.#pools.set(key, pool);
    }
    return pool;
  }

  #request(
    client: PoolSource,
    pool: PoolState,
    type: PoolType,
    guildId: string | null,
    ids: string[],
    options: RequestOptions,
  ): Promise<void> {
    const payload = guildId === null ? { type, ids } : { type, guild_id: guildId, ids };
    const loading = client.request("pool_request", payload, options).then((result) => {
      this.load(type, guildId, result.data, result.nonexistent);
    }).finally(() => {
      for (const id of ids) if (pool.loading.get(id) === loading) pool.loading.delete(id);
    });
    for (const id of ids) pool.loading.set(id, loading);
    return loading;
  }

  async #requestAll(
    client: PoolSource,
    type: PoolType,
    guildId: string | null,
    options: RequestOptions,
  ): Promise<void> {
    const payload = guildId === null ? { type } : { type, guild_id: guildId };
    // Chunk by chunk, so a big pool shows up in the UI while it loads.
    const seen = new Set<string>();
    for await (const chunk of client.stream("pool_all_request", payload, options)) {
      this.load(type, guildId, chunk.data, chunk.nonexistent);
      for (const entity of chunk.data) {
        const id = idOf(entity);
        if (id !== undefined) seen.add(id);
      }
      if (chunk.finished) {
        const scope = scopeOf(type, guildId);
        const pool = this.#pool(type, scope);
        // A full load replaces the pool: what it no longer lists was removed
        // (possibly while a reconnect lost the push saying so).
        const gone = [...pool.entities.keys()].filter((id) => !seen.has(id));
        for (const id of gone) pool.entities.delete(id);
        pool.fullyPopulated = true;
        this.#changed(type, scope, pool, gone);
      }
    }
  }

  /** Members carry their user's public fields; the design doc asks the user pool to get them. */
  #fillUsers(members: readonly unknown[]): void {
    const users: unknown[] = [];
    const pool = this.#pool("user", null);
    for (const member of members) {
      const id = idOf(member);
      if (id === undefined) continue;
      const { name, discriminator, avatar } = member as Partial<Member>;
      if (typeof name !== "string" || typeof discriminator !== "string") continue;
      const existing = pool.entities.get(id) as User | undefined;
      users.push({ ...existing, id, username: name, discriminator, avatar: avatar ?? null });
    }
    if (users.length > 0) this.load("user", null, users);
  }

  #forgetFullness(): void {
    for (const [key, pool] of this.#pools) {
      if (!pool.fullyPopulated) continue;
      pool.fullyPopulated = false;
      const [type, scope] = key.split(":") as [PoolType, string];
      this.#changed(type, scope === "*" ? null : scope, pool, []);
    }
  }

  #changed(type: PoolType, scope: string | null, pool: PoolState, ids: string[]): void {
    pool.version++;
    pool.snapshot = undefined;
    this.#notify({ type, guildId: scope, ids });
  }

  #notify(change: PoolChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        // A view's bug must not stop the cache from reaching the other views.
        globalThis.reportError(error);
      }
    }
  }
}
