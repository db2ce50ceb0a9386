// This module is browser-compatible.
import type { GatewayEventMap } from "./client_types.ts";
import type { GatewayClient } from "./gateway_client.ts";
import { canonicalPoolType, type ClientEventName, isGuildPool } from "./protocol/mod.ts";
import {
  type Action,
  GATEWAY_EVENT,
  GATEWAY_MALFORMED,
  GATEWAY_POOLS_FORGET,
  GATEWAY_REQUEST,
  GATEWAY_REQUEST_FAILURE,
  GATEWAY_REQUEST_SUCCESS,
  GATEWAY_SEND,
  GATEWAY_STATE,
  type GatewayAction,
  type GatewayFailureAction,
  type GatewayFailurePayload,
  gatewayRequest,
  type GatewayRequestAction,
  type GatewayRequestMeta,
  type GatewaySuccessAction,
  isGatewayAction,
} from "./redux_actions.ts";
import { GatewayRequestError } from "./request_error.ts";
import type { RequestPayload } from "./request_kinds.ts";

/**
 * The store as a middleware sees it. `dispatch` is declared as a method so a
 * real Redux store, whose dispatch takes any action, fits.
 */
export interface MiddlewareStore {
  dispatch(action: Action): unknown;
  getState(): unknown;
}

/** A standard Redux middleware: `store => next => action`. */
export type GatewayMiddleware = (
  store: MiddlewareStore,
) => (next: (action: unknown) => unknown) => (action: unknown) => unknown;

/** Client events that become `gateway/event` actions besides the server's pushes. */
const CLIENT_EVENTS = ["resumed", "subscribed", "unsubscribed", "elevation_lost"] as const;

function failurePayload(error: unknown): GatewayFailurePayload {
  if (error instanceof GatewayRequestError) return error.toFields();
  return {
    code: 0,
    error: "internal",
    message: error instanceof Error ? error.message : String(error),
    human: "Something went wrong.",
  };
}

/** The request, and for pools which pool (canonical type, and guild when it has one). */
function requestMeta(
  event: ClientEventName,
  data: Record<string, unknown>,
): Pick<GatewayRequestMeta, "event" | "request" | "poolType" | "guildId"> {
  if (event !== "pool_request" && event !== "pool_all_request" && event !== "pool_search") {
    return { event, request: data };
  }
  const poolType = canonicalPoolType(String(data.type));
  if (poolType === undefined) return { event, request: data };
  const guildId = isGuildPool(poolType) && typeof data.guild_id === "string" ? data.guild_id : null;
  return { event, request: data, poolType, guildId };
}

/**
 * Connects a `GatewayClient` to a Redux store. `gateway/request` actions
 * pass on to the reducers (so they can mark loading) and are sent; their
 * outcome is dispatched as `gateway/request/success` or
 * `gateway/request/failure`, shaped like a REST call's and carrying the
 * request in `meta`, and `dispatch` returns a promise of that outcome
 * action. Server pushes and the client's events become `gateway/event`,
 * unreadable frames `gateway/malformed`, connection changes `gateway/state`.
 * Whole pools loaded through it are loaded again after a reconnect, when
 * pushes may have been missed, until `gatewayForgetPools(guildId)` drops them.
 */
export function createGatewayMiddleware(client: GatewayClient): GatewayMiddleware {
  return (store) => {
    const dispatch = (action: GatewayAction): void => {
      try {
        store.dispatch(action);
      } catch (error) {
        // A reducer's bug must not turn into an unhandled rejection of the request.
        globalThis.reportError(error);
      }
    };
    const wholePools = new Map<string, RequestPayload<"pool_all_request">>();
    let dropped = false;
    client.on("*", (frame) => {
      dispatch(
        { type: GATEWAY_EVENT, payload: { event: frame._event, data: frame } } as GatewayAction,
      );
    });
    for (const name of CLIENT_EVENTS) {
      client.on(name, (data: GatewayEventMap[typeof name]) => {
        dispatch({ type: GATEWAY_EVENT, payload: { event: name, data } } as GatewayAction);
      });
    }
    client.on("malformed", (malformed) => {
      dispatch({ type: GATEWAY_MALFORMED, payload: malformed });
    });
    client.onState((state, detail) => {
      dispatch({ type: GATEWAY_STATE, payload: { ...detail, state } });
      if (state === "reconnecting") dropped = true;
      if (state !== "open" || !dropped) return;
      dropped = false;
      for (const data of wholePools.values()) {
        void store.dispatch(gatewayRequest("pool_all_request", data, { reload: true }));
      }
    });

    const send = (
      action: GatewayRequestAction,
      onSeq: (seq: number) => void,
    ): Promise<unknown> => {
      const { event, data } = action.payload;
      const options = { onSeq };
      if (event === "spectate") {
        const spectate = data as RequestPayload<"spectate">;
        return client.spectate(spectate.guild_id, {
          ...options,
          ...(spectate.include_logs === undefined ? {} : { includeLogs: spectate.include_logs }),
          ...(spectate.since === undefined ? {} : { since: spectate.since }),
        });
      }
      if (event === "request_elevation") {
        return client.elevate((data as RequestPayload<"request_elevation">).token, options);
      }
      return client.request(event, data, options);
    };

    return (next) => (action) => {
      if (isGatewayAction(action, GATEWAY_POOLS_FORGET)) {
        const { guildId } = action.payload;
        for (const key of [...wholePools.keys()]) {
          if (guildId === undefined || key.endsWith(`:${guildId ?? "*"}`)) wholePools.delete(key);
        }
        return next(action);
      }
      if (isGatewayAction(action, GATEWAY_SEND)) {
        next(action);
        return client.send(action.payload.event, action.payload.data);
      }
      if (!isGatewayAction(action, GATEWAY_REQUEST)) return next(action);
      next(action);
      const { event, data, meta } = action.payload;
      let seq: number | undefined;
      const metaOf = (): GatewayRequestMeta => ({
        ...meta,
        ...requestMeta(event, data as Record<string, unknown>),
        ...(seq === undefined ? {} : { seq }),
      });
      const pending = send(action, (assigned) => seq = assigned);
      return pending.then(
        (result): GatewaySuccessAction => {
          const success = {
            type: GATEWAY_REQUEST_SUCCESS,
            payload: result,
            meta: metaOf(),
          } as GatewaySuccessAction;
          if (event === "pool_all_request") {
            const { poolType, guildId } = success.meta;
            const key = `${poolType}:${guildId ?? "*"}`;
            const whole = data as RequestPayload<typeof event>;
            const previous = wholePools.get(key);
            // An online-only load does not take the place of a whole one.
            if (whole.online !== true || previous === undefined || previous.online === true) {
              wholePools.set(key, whole);
            }
          }
          dispatch(success);
          return success;
        },
        (error: unknown): GatewayFailureAction => {
          const payload = failurePayload(error);
          const failure: GatewayFailureAction = {
            type: GATEWAY_REQUEST_FAILURE,
            payload,
            error: true,
            meta: metaOf(),
          };
          dispatch(failure);
          return failure;
        },
      );
    };
  };
}
