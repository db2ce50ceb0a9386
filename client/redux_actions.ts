// This module is browser-compatible.
import type {
  ConnectionState,
  GatewayEventMap,
  MalformedFrame,
  StateDetail,
} from "./client_types.ts";
import type { ClientEventName, PoolType } from "./protocol/mod.ts";
import type { GatewayErrorFields } from "./request_error.ts";
import type { RequestPayload, RequestResult } from "./request_kinds.ts";

export const GATEWAY_REQUEST = "gateway/request";
export const GATEWAY_REQUEST_SUCCESS = "gateway/request/success";
export const GATEWAY_REQUEST_FAILURE = "gateway/request/failure";
export const GATEWAY_SEND = "gateway/send";
export const GATEWAY_EVENT = "gateway/event";
export const GATEWAY_MALFORMED = "gateway/malformed";
export const GATEWAY_STATE = "gateway/state";
export const GATEWAY_POOLS_FORGET = "gateway/pools/forget";

/** The least a Redux action is. */
export interface Action<T extends string = string> {
  readonly type: T;
}

export interface GatewayRequestAction<
  E extends ClientEventName = ClientEventName,
  P extends RequestPayload<E> = RequestPayload<E>,
> extends Action<typeof GATEWAY_REQUEST> {
  readonly payload: {
    readonly event: E;
    readonly data: P;
    readonly meta?: Record<string, unknown>;
  };
}

export interface GatewaySendAction<E extends ClientEventName = ClientEventName>
  extends Action<typeof GATEWAY_SEND> {
  readonly payload: { readonly event: E; readonly data: RequestPayload<E> };
}

/**
 * What the outcome of a request says about it: the caller's own meta, then
 * the request itself, its `_seq`, and for pools the (canonical) pool type
 * and guild, so a reducer knows which pool an answer fills.
 */
export type GatewayRequestMeta<
  E extends ClientEventName = ClientEventName,
  P = RequestPayload<E>,
> = {
  readonly [key: string]: unknown;
  readonly event: E;
  readonly request: P;
  readonly seq?: number;
  readonly poolType?: PoolType;
  readonly guildId?: string | null;
};

export interface GatewaySuccessAction<
  E extends ClientEventName = ClientEventName,
  P = RequestPayload<E>,
> extends Action<typeof GATEWAY_REQUEST_SUCCESS> {
  readonly payload: RequestResult<E, P>;
  readonly meta: GatewayRequestMeta<E, P>;
}

/** Every field of the error, as a REST failure action carries them, plus the gateway's own. */
export type GatewayFailurePayload = GatewayErrorFields;

export interface GatewayFailureAction<
  E extends ClientEventName = ClientEventName,
  P = RequestPayload<E>,
> extends Action<typeof GATEWAY_REQUEST_FAILURE> {
  readonly payload: GatewayFailurePayload;
  readonly error: true;
  readonly meta: GatewayRequestMeta<E, P>;
}

/** The outcome action `dispatch(gatewayRequest(…))` resolves to. */
export type GatewayOutcomeAction<E extends ClientEventName, P> =
  | GatewaySuccessAction<E, P>
  | GatewayFailureAction<E, P>;

type EventName = Exclude<keyof GatewayEventMap, "*" | "malformed">;

/** A server push or a client event (`resumed`, `subscribed`, …), narrowed by `payload.event`. */
export type GatewayEventAction = {
  [K in EventName]: Action<typeof GATEWAY_EVENT> & {
    readonly payload: { readonly event: K; readonly data: GatewayEventMap[K] };
  };
}[EventName];

export interface GatewayMalformedAction extends Action<typeof GATEWAY_MALFORMED> {
  readonly payload: MalformedFrame;
}

export interface GatewayStateAction extends Action<typeof GATEWAY_STATE> {
  readonly payload: StateDetail & { readonly state: ConnectionState };
}

/**
 * Drops pools from the store and stops the middleware from loading them
 * again after a reconnect: a guild's (`guildId`), the agnostic ones (users,
 * guilds: `null`), or all (no `guildId`). For a view that leaves a guild,
 * whose pools no push keeps current any more, or a sign-out.
 */
export interface GatewayPoolsForgetAction extends Action<typeof GATEWAY_POOLS_FORGET> {
  readonly payload: { readonly guildId?: string | null };
}

/** Every action the adapter dispatches or takes. */
export type GatewayAction =
  | GatewayRequestAction
  | GatewaySendAction
  | GatewaySuccessAction
  | GatewayFailureAction
  | GatewayEventAction
  | GatewayMalformedAction
  | GatewayStateAction
  | GatewayPoolsForgetAction;

/**
 * A store's `dispatch` behind the gateway middleware: a request resolves
 * to its outcome action, a send to whether it was sent, anything else to
 * itself.
 */
export interface GatewayDispatch {
  <E extends ClientEventName, P extends RequestPayload<E>>(
    action: GatewayRequestAction<E, P>,
  ): Promise<GatewayOutcomeAction<E, P>>;
  (action: GatewaySendAction): boolean;
  <A extends Action>(action: A): A;
}

/**
 * Asks the middleware to send a request and dispatch its outcome. A
 * `spectate` goes through `client.spectate()` and a `request_elevation`
 * through `client.elevate()`, so both are restored after a reconnect.
 */
export function gatewayRequest<E extends ClientEventName, P extends RequestPayload<E>>(
  event: E,
  data: P,
  meta?: Record<string, unknown>,
): GatewayRequestAction<E, P> {
  return {
    type: GATEWAY_REQUEST,
    payload: meta === undefined ? { event, data } : { event, data, meta },
  };
}

/** Asks the middleware to send a fire-and-forget frame (the interpret mock's `ping`). */
export function gatewaySend<E extends ClientEventName>(
  event: E,
  data: RequestPayload<E>,
): GatewaySendAction<E> {
  return { type: GATEWAY_SEND, payload: { event, data } };
}

/**
 * Forgets a guild's pools (`null`: the agnostic ones; nothing: every pool):
 * the reducer drops them, the middleware no longer reloads them.
 */
export function gatewayForgetPools(guildId?: string | null): GatewayPoolsForgetAction {
  return { type: GATEWAY_POOLS_FORGET, payload: guildId === undefined ? {} : { guildId } };
}

/** The store's `dispatch`, typed for the gateway's actions (no cast at each call). */
export function gatewayDispatch(store: { dispatch(action: never): unknown }): GatewayDispatch {
  return ((action: never) => store.dispatch(action)) as GatewayDispatch;
}

/** Narrows an unknown action to one of the adapter's by its `type`. */
export function isGatewayAction<T extends GatewayAction["type"]>(
  action: unknown,
  type: T,
): action is Extract<GatewayAction, Action<T>> {
  return typeof action === "object" && action !== null &&
    (action as { type?: unknown }).type === type;
}
