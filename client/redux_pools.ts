// This module is browser-compatible.
import { canonicalPoolType, isGuildPool, type PoolType } from "./protocol/mod.ts";
import {
  GATEWAY_EVENT,
  GATEWAY_POOLS_FORGET,
  GATEWAY_REQUEST,
  GATEWAY_REQUEST_FAILURE,
  GATEWAY_REQUEST_SUCCESS,
  GATEWAY_STATE,
  type GatewayFailurePayload,
  isGatewayAction,
} from "./redux_actions.ts";
import type { PoolEntityMap, PoolResult } from "./request_kinds.ts";

/** One pool in a Redux store: plain, serialisable data. */
export interface PoolSlice<T = unknown> {
  readonly type: PoolType;
  readonly guildId: string | null;
  readonly entities: Readonly<Record<string, T>>;
  /** Ids in the gateway's order (a whole load's), entities added later at the end. */
  readonly ids: readonly string[];
  readonly nonexistent: readonly string[];
  readonly status: "idle" | "loading" | "loaded" | "failed";
  /** Loaded whole and followed by pushes since; false again after a reconnect until reloaded. */
  readonly fullyPopulated: boolean;
  readonly error: GatewayFailurePayload | null;
}

/** Every pool the store holds, by `poolKey(type, guildId)`. */
export type PoolsState = Readonly<Record<string, PoolSlice>>;

/** The key of a pool in `PoolsState`; agnostic pools (users, guilds) ignore the guild. */
export function poolKey(type: PoolType, guildId: string | null): string {
  return `${type}:${(isGuildPool(type) ? guildId : null) ?? "*"}`;
}

function empty(type: PoolType, guildId: string | null): PoolSlice {
  return {
    type,
    guildId: isGuildPool(type) ? guildId : null,
    entities: {},
    ids: [],
    nonexistent: [],
    status: "idle",
    fullyPopulated: false,
    error: null,
  };
}

function idOf(entity: unknown): string | undefined {
  const id = (entity as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : undefined;
}

function merge(slice: PoolSlice, data: readonly unknown[], missing: readonly string[]): PoolSlice {
  const entities: Record<string, unknown> = { ...slice.entities };
  const ids = [...slice.ids];
  for (const entity of data) {
    const id = idOf(entity);
    if (id === undefined) continue;
    if (!(id in entities)) ids.push(id);
    entities[id] = entity;
  }
  const found = new Set(ids);
  const nonexistent = [...new Set([...slice.nonexistent, ...missing])].filter((id) =>
    !found.has(id)
  );
  return { ...slice, entities, ids, nonexistent };
}

function replace(slice: PoolSlice, data: readonly unknown[]): PoolSlice {
  return { ...merge({ ...slice, entities: {}, ids: [] }, data, []), fullyPopulated: true };
}

function update(
  state: PoolsState,
  type: PoolType,
  guildId: string | null,
  change: (slice: PoolSlice) => PoolSlice,
): PoolsState {
  const key = poolKey(type, guildId);
  return { ...state, [key]: change(state[key] ?? empty(type, guildId)) };
}

/** The pool a request action or its outcome is about, from its data or meta. */
function poolOf(
  event: unknown,
  data: { type?: unknown; guild_id?: unknown },
): { type: PoolType; guildId: string | null } | null {
  if (event !== "pool_request" && event !== "pool_all_request" && event !== "pool_search") {
    return null;
  }
  const type = canonicalPoolType(String(data.type));
  if (type === undefined) return null;
  return { type, guildId: typeof data.guild_id === "string" ? data.guild_id : null };
}

/**
 * A reducer of entity pools for the gateway middleware's actions: marks a
 * pool loading on its request, merges what an answer brings (a whole load
 * replaces the pool), keeps every field of a failure, applies `log_pool`
 * pushes, and marks whole pools as no longer whole on a reconnect (the
 * middleware then loads them again). Online members (`online: true`) are
 * merged into the member pool without making it whole; a guild's pools go
 * on `gatewayForgetPools(guildId)`.
 */
export function poolsReducer(state: PoolsState = {}, action: unknown): PoolsState {
  if (isGatewayAction(action, GATEWAY_REQUEST)) {
    const pool = poolOf(action.payload.event, action.payload.data as object);
    if (pool === null) return state;
    return update(state, pool.type, pool.guildId, (s) => ({ ...s, status: "loading" }));
  }
  if (isGatewayAction(action, GATEWAY_REQUEST_SUCCESS)) {
    const pool = poolOf(action.meta.event, action.meta.request as object);
    if (pool === null) return state;
    const result = action.payload as PoolResult;
    // Online members only are part of the pool: merged, not taken for all of it.
    const whole = action.meta.event === "pool_all_request" &&
      (action.meta.request as { online?: unknown }).online !== true;
    return update(state, pool.type, pool.guildId, (s) => ({
      ...(whole ? replace(s, result.data) : merge(s, result.data, result.nonexistent)),
      status: "loaded",
      error: null,
    }));
  }
  if (isGatewayAction(action, GATEWAY_REQUEST_FAILURE)) {
    const pool = poolOf(action.meta.event, action.meta.request as object);
    if (pool === null) return state;
    return update(state, pool.type, pool.guildId, (s) => ({
      ...s,
      status: "failed",
      error: action.payload,
    }));
  }
  if (isGatewayAction(action, GATEWAY_EVENT) && action.payload.event === "log_pool") {
    const frame = action.payload.data;
    const type = canonicalPoolType(frame.type);
    if (type === undefined) return state;
    if (frame.action === "remove") {
      return update(state, type, frame.guild_id, (s) => {
        const { [frame.id]: _removed, ...entities } = s.entities;
        return {
          ...s,
          entities,
          ids: s.ids.filter((id) => id !== frame.id),
          nonexistent: [...s.nonexistent.filter((id) => id !== frame.id), frame.id],
        };
      });
    }
    if (typeof frame.entity !== "object" || frame.entity === null) return state;
    const entity = { ...frame.entity, id: frame.id };
    return update(state, type, frame.guild_id, (s) => merge(s, [entity], []));
  }
  if (isGatewayAction(action, GATEWAY_POOLS_FORGET)) {
    const { guildId } = action.payload;
    const kept = guildId === undefined
      ? []
      : Object.entries(state).filter(([, slice]) => slice.guildId !== guildId);
    return kept.length === Object.keys(state).length ? state : Object.fromEntries(kept);
  }
  if (isGatewayAction(action, GATEWAY_STATE) && action.payload.state === "reconnecting") {
    let next = state;
    for (const [key, slice] of Object.entries(state)) {
      if (slice.fullyPopulated) next = { ...next, [key]: { ...slice, fullyPopulated: false } };
    }
    return next;
  }
  return state;
}

/** A pool of the store, typed by its entity; an empty idle pool when never asked for. */
export function selectPool<T extends PoolType>(
  state: PoolsState,
  type: T,
  guildId: string | null,
): PoolSlice<PoolEntityMap[T]> {
  const key = poolKey(type, guildId);
  return (state[key] ?? emptySlice(key, type, guildId)) as PoolSlice<PoolEntityMap[T]>;
}

/**
 * The slice of a pool the store does not hold yet: one frozen object per
 * pool, so that a selector reading it returns the same value each time and a
 * view subscribed to it is not redrawn by every unrelated action.
 */
const EMPTY_SLICES = new Map<string, PoolSlice>();

function emptySlice(key: string, type: PoolType, guildId: string | null): PoolSlice {
  let slice = EMPTY_SLICES.get(key);
  if (slice === undefined) {
    slice = Object.freeze(empty(type, guildId));
    EMPTY_SLICES.set(key, slice);
  }
  return slice;
}

/** A pool's entities in order. */
export function selectPoolEntities<T extends PoolType>(
  state: PoolsState,
  type: T,
  guildId: string | null,
): PoolEntityMap[T][] {
  const slice = selectPool(state, type, guildId);
  return slice.ids.map((id) => slice.entities[id] as PoolEntityMap[T]);
}
