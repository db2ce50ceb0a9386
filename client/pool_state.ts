// This module is browser-compatible.
import { canonicalPoolType, isGuildPool, type PoolType } from "./protocol/mod.ts";

export { canonicalPoolType };

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

/** One pool's mutable state inside the cache. */
export interface PoolState {
  readonly type: PoolType;
  readonly scope: string | null;
  readonly entities: Map<string, unknown>;
  readonly nonexistent: Set<string>;
  fullyPopulated: boolean;
  /** Was full when the connection dropped: reload it once the connection is back. */
  reloadOnOpen: boolean;
  version: number;
  snapshot: PoolSnapshot<unknown> | undefined;
  /** Ids being requested, to the request loading them. */
  readonly loading: Map<string, Promise<void>>;
  loadingAll: Promise<void> | undefined;
  /** `watch()` listeners of this pool. */
  readonly watchers: Set<(snapshot: PoolSnapshot<unknown>) => void>;
}

export const EMPTY_SNAPSHOT: PoolSnapshot<never> = Object.freeze({
  entities: new Map<string, never>(),
  nonexistent: new Set<string>(),
  fullyPopulated: false,
  version: 0,
});

/** Agnostic pools (users, guilds) are one per client, whatever guild asked. */
export function scopeOf(type: PoolType, guildId: string | null): string | null {
  return isGuildPool(type) ? guildId : null;
}

export function keyOf(type: PoolType, scope: string | null): string {
  return `${type}:${scope ?? "*"}`;
}

export function idOf(entity: unknown): string | undefined {
  if (typeof entity !== "object" || entity === null) return undefined;
  const id = (entity as { id?: unknown }).id;
  return typeof id === "string" ? id : undefined;
}

export function newPoolState(type: PoolType, scope: string | null): PoolState {
  return {
    type,
    scope,
    entities: new Map(),
    nonexistent: new Set(),
    fullyPopulated: false,
    reloadOnOpen: false,
    version: 0,
    snapshot: undefined,
    loading: new Map(),
    loadingAll: undefined,
    watchers: new Set(),
  };
}

/** The current snapshot of a pool, made once per version. */
export function snapshotOf(pool: PoolState): PoolSnapshot<unknown> {
  return pool.snapshot ??= Object.freeze({
    entities: new Map(pool.entities),
    nonexistent: new Set(pool.nonexistent),
    fullyPopulated: pool.fullyPopulated,
    version: pool.version,
  });
}
