// This module is browser-compatible.
import {
  type GatewayFailurePayload,
  gatewayRequest,
  poolKey,
  type PoolType,
  selectPool,
} from "../../client/mod.ts";
import type { DashboardStore } from "./dashboard_store.ts";

/** How a load ended: null when it worked (or was not needed), else the failure. */
export type LoadOutcome = GatewayFailurePayload | null;

const inFlight = new WeakMap<DashboardStore, Map<string, Promise<LoadOutcome>>>();

/**
 * Loads a pool whole through the store (`pool_all_request`), unless it is
 * whole already; views and lookups asking for the same pool at once share
 * one request. `online` loads only the online members (they join the member
 * pool without making it whole).
 */
export function loadPool(
  store: DashboardStore,
  type: PoolType,
  guildId: string | null,
  options: { readonly online?: boolean } = {},
): Promise<LoadOutcome> {
  if (selectPool(store.getState().pools, type, guildId).fullyPopulated) {
    return Promise.resolve(null);
  }
  const online = options.online === true;
  const key = `${poolKey(type, guildId)}:${online ? "online" : "all"}`;
  let loads = inFlight.get(store);
  if (loads === undefined) inFlight.set(store, loads = new Map());
  const running = loads.get(key);
  if (running !== undefined) return running;
  const request = store.dispatch(gatewayRequest("pool_all_request", {
    type,
    ...(guildId === null ? {} : { guild_id: guildId }),
    ...(online ? { online: true } : {}),
  })).then((outcome) => outcome.type === "gateway/request/failure" ? outcome.payload : null)
    .finally(() => loads.delete(key));
  loads.set(key, request);
  return request;
}
