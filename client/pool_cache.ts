// This module is browser-compatible.
import type { RequestOptions } from "./client_types.ts";
import type { GatewayClient } from "./gateway_client.ts";
import {
  LIMITS,
  type Member,
  type PoolType,
  type ServerFrameOf,
  type User,
} from "./protocol/mod.ts";
import {
  canonicalPoolType,
  EMPTY_SNAPSHOT,
  idOf,
  keyOf,
  newPoolState,
  type PoolListener,
  type PoolLookup,
  type PoolSnapshot,
  type PoolState,
  scopeOf,
  snapshotOf,
} from "./pool_state.ts";
import type { PoolEntityMap } from "./request_kinds.ts";

/** What the cache needs of a client; a `GatewayClient` is one. */
export type PoolSource = Pick<GatewayClient, "request" | "stream" | "on" | "onState">;

/** Options of `search()`. */
export interface PoolSearchOptions extends RequestOptions {
  /** At most this many members (1–100). Default 25. */
  readonly limit?: number;
}

/**
 * Entity pools keyed by (type, guild): caches what the gateway sent, asks
 * only for ids it does not know, and follows `log_pool` pushes of the
 * client it is attached to. Loading members also fills the user pool, so a
 * member's user never needs its own request. After a reconnect (pushes may
 * have been missed) pools that were loaded whole and are watched are loaded
 * again; the others load again on their next `all()`.
 */
export class PoolCache {
  readonly #pools = new Map<string, PoolState>();
  readonly #listeners = new Set<PoolListener>();
  #client: PoolSource | null = null;

  constructor(options: { client?: PoolSource } = {}) {
    if (options.client !== undefined) this.attach(options.client);
  }

  /**
   * Uses `client` for every request and follows its `log_pool` pushes and
   * reconnects; returns the detach function.
   */
  attach(client: PoolSource): () => void {
    this.#client = client;
    let dropped = false;
    const offPush = client.on("log_pool", (frame) => this.applyPoolEvent(frame));
    const offState = client.onState((state) => {
      if (state === "reconnecting" && !dropped) {
        dropped = true;
        this.#forgetFullness();
      } else if (state === "open" && dropped) {
        dropped = false;
        this.#reloadWatched();
      }
    });
    return () => {
      offPush();
      offState();
      if (this.#client === client) this.#client = null;
    };
  }

  /** Calls `listener` after every change of any pool; returns the unsubscribe function. */
  subscribe(listener: PoolListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `listener` with the pool's snapshot now and after every change of
   * it (pushes, loads, reloads after a reconnect); returns the unsubscribe
   * function. A watched pool that was loaded whole stays whole across
   * reconnects. The building block of an entity view.
   */
  watch<T extends PoolType>(
    type: T,
    guildId: string | null,
    listener: (snapshot: PoolSnapshot<PoolEntityMap[T]>) => void,
  ): () => void {
    const pool = this.#pool(type, scopeOf(type, guildId));
    const watcher = listener as (snapshot: PoolSnapshot<unknown>) => void;
    pool.watchers.add(watcher);
    watcher(snapshotOf(pool));
    return () => pool.watchers.delete(watcher);
  }

  /** The current view of a pool. */
  snapshot<T extends PoolType>(type: T, guildId: string | null): PoolSnapshot<PoolEntityMap[T]> {
    const pool = this.#pools.get(keyOf(type, scopeOf(type, guildId)));
    return (pool === undefined ? EMPTY_SNAPSHOT : snapshotOf(pool)) as PoolSnapshot<
      PoolEntityMap[T]
    >;
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
    type: T,
    guildId: string | null,
    ids: readonly string[],
    options: RequestOptions = {},
  ): Promise<PoolLookup<PoolEntityMap[T]>> {
    const client = this.#source();
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
        requests.push(this.#request(client, pool, guildId, batch, options));
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
   * Every entity of a pool, in the gateway's order: one `pool_all_request`,
   * then the cache. Callers arriving while it loads share that request.
   * `limit` cuts the answer, not the load.
   */
  async all<T extends PoolType>(
    type: T,
    guildId: string | null,
    options: RequestOptions & { readonly limit?: number } = {},
  ): Promise<PoolEntityMap[T][]> {
    const client = this.#source();
    const pool = this.#pool(type, scopeOf(type, guildId));
    if (!pool.fullyPopulated) {
      pool.loadingAll ??= this.#requestAll(client, pool, guildId, options).finally(() => {
        pool.loadingAll = undefined;
      });
      await pool.loadingAll;
    }
    const all = [...pool.entities.values()] as PoolEntityMap[T][];
    return options.limit === undefined ? all : all.slice(0, Math.max(0, options.limit));
  }

  /**
   * Members of a guild whose name or nick starts with `query` (ignoring
   * case), as the gateway finds them (`pool_search`), at most `limit`. The
   * members found join the cache.
   */
  async search(
    guildId: string,
    query: string,
    options: PoolSearchOptions = {},
  ): Promise<Member[]> {
    const client = this.#source();
    const limit = Math.min(LIMITS.searchLimit, Math.max(1, options.limit ?? 25));
    const result = await client.request("pool_search", {
      type: "member",
      guild_id: guildId,
      query: query.slice(0, LIMITS.searchQueryChars),
      limit,
    }, options);
    this.load("member", guildId, result.data);
    return result.data;
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
    const pool = this.#pool(type, scopeOf(type, guildId));
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
    if (changed.length > 0) this.#changed(pool, changed);
    if (type === "member") this.#fillUsers(data);
  }

  /** Applies one `log_pool` push. */
  applyPoolEvent(frame: ServerFrameOf<"log_pool">): void {
    const type = canonicalPoolType(frame.type);
    if (type === undefined) return;
    if (frame.action === "remove") {
      const pool = this.#pool(type, scopeOf(type, frame.guild_id));
      pool.entities.delete(frame.id);
      // A removed entity is known not to exist: asking for it again would be wasted.
      pool.nonexistent.add(frame.id);
      this.#changed(pool, [frame.id]);
      return;
    }
    const entity = frame.entity;
    if (typeof entity !== "object" || entity === null) return;
    this.load(type, frame.guild_id, [{ ...entity, id: frame.id }]);
  }

  /** Drops cached pools: all, one type's, or one (type, guild). Watchers see them empty. */
  invalidate(type?: PoolType, guildId?: string | null): void {
    for (const [key, pool] of [...this.#pools]) {
      if (type !== undefined && pool.type !== type) continue;
      if (type !== undefined && guildId !== undefined && pool.scope !== scopeOf(type, guildId)) {
        continue;
      }
      const ids = [...pool.entities.keys()];
      if (pool.watchers.size > 0) {
        pool.entities.clear();
        pool.nonexistent.clear();
        pool.fullyPopulated = false;
        this.#changed(pool, ids);
      } else {
        this.#pools.delete(key);
        this.#notify({ type: pool.type, guildId: pool.scope, ids });
      }
    }
  }

  #source(): PoolSource {
    if (this.#client === null) {
      throw new Error("PoolCache is not attached to a client: call attach(client) first");
    }
    return this.#client;
  }

  #pool(type: PoolType, scope: string | null): PoolState {
    const key = keyOf(type, scope);
    let pool = this.#pools.get(key);
    if (!pool) this.#pools.set(key, pool = newPoolState(type, scope));
    return pool;
  }

  #request(
    client: PoolSource,
    pool: PoolState,
    guildId: string | null,
    ids: string[],
    options: RequestOptions,
  ): Promise<void> {
    const type = pool.type;
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
    pool: PoolState,
    guildId: string | null,
    options: RequestOptions,
  ): Promise<void> {
    const type = pool.type;
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
        // A full load replaces the pool: what it no longer lists was removed
        // (possibly while a reconnect lost the push saying so).
        const gone = [...pool.entities.keys()].filter((id) => !seen.has(id));
        for (const id of gone) pool.entities.delete(id);
        pool.fullyPopulated = true;
        this.#changed(pool, gone);
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
    for (const pool of this.#pools.values()) {
      if (!pool.fullyPopulated) continue;
      pool.fullyPopulated = false;
      pool.reloadOnOpen = pool.watchers.size > 0;
      this.#changed(pool, []);
    }
  }

  #reloadWatched(): void {
    const client = this.#client;
    if (client === null) return;
    for (const pool of this.#pools.values()) {
      if (!pool.reloadOnOpen) continue;
      pool.reloadOnOpen = false;
      if (pool.watchers.size === 0 || pool.loadingAll !== undefined) continue;
      pool.loadingAll = this.#requestAll(client, pool, pool.scope, {}).catch(() => {
        // The watchers keep what they had; the next all() tries again.
      }).finally(() => {
        pool.loadingAll = undefined;
      });
    }
  }

  #changed(pool: PoolState, ids: string[]): void {
    pool.version++;
    pool.snapshot = undefined;
    if (pool.watchers.size > 0) {
      const snapshot = snapshotOf(pool);
      for (const watcher of [...pool.watchers]) this.#call(() => watcher(snapshot));
    }
    this.#notify({ type: pool.type, guildId: pool.scope, ids });
  }

  #notify(change: { type: PoolType; guildId: string | null; ids: readonly string[] }): void {
    for (const listener of [...this.#listeners]) this.#call(() => listener(change));
  }

  #call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      // A view's bug must not stop the cache from reaching the other views.
      globalThis.reportError(error);
    }
  }
}
