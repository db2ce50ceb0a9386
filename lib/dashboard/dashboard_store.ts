// This module is browser-compatible.
import { applyMiddleware, combineReducers, legacy_createStore as createStore } from "redux";
import {
  createGatewayMiddleware,
  type GatewayClient,
  type GatewayDispatch,
  gatewayDispatch,
  poolsReducer,
  type PoolsState,
} from "../../client/mod.ts";
import { type LiveChange, liveChangesReducer } from "./live_changes.ts";
import { watchReducer, type WatchState } from "./watch_state.ts";

/** The dashboard's state: the entity pools and the watched guild, kept by the client library. */
export interface DashboardState {
  readonly pools: PoolsState;
  readonly watch: WatchState;
  /** The newest `log_pool` pushes, for views to mark what changed live. */
  readonly live: readonly LiveChange[];
}

/** The Redux store of the dashboard, typed for the gateway's actions. */
export interface DashboardStore {
  getState(): DashboardState;
  subscribe(listener: () => void): () => void;
  readonly dispatch: GatewayDispatch;
}

/**
 * One store per connection, behind the client library's gateway middleware:
 * requests are `gatewayRequest` actions whose answers fill `poolsReducer`,
 * and the gateway's pushes (`log_pool`, `access_changed`) and the client's
 * events (`subscribed`, …) arrive as actions too. Pools loaded whole are
 * loaded again by the middleware after a reconnect.
 */
export function createDashboardStore(client: GatewayClient): DashboardStore {
  const store = createStore(
    combineReducers({ pools: poolsReducer, watch: watchReducer, live: liveChangesReducer }),
    applyMiddleware(createGatewayMiddleware(client)),
  );
  return {
    getState: () => store.getState(),
    subscribe: (listener) => store.subscribe(listener),
    dispatch: gatewayDispatch(store),
  };
}
