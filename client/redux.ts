// This module is browser-compatible.
import type { ClientEventName, ServerEventName, ServerFrame } from "../gateway/protocol/mod.ts";
import type {
  ConnectionState,
  GatewayClient,
  MalformedFrame,
  RequestPayload,
  StateDetail,
} from "./gateway_client.ts";
import { GatewayRequestError } from "./request_error.ts";

export const GATEWAY_REQUEST = "gateway/request";
export const GATEWAY_REQUEST_SUCCESS = "gateway/request/success";
export const GATEWAY_REQUEST_FAILURE = "gateway/request/failure";
export const GATEWAY_SEND = "gateway/send";
export const GATEWAY_EVENT = "gateway/event";
export const GATEWAY_MALFORMED = "gateway/malformed";
export const GATEWAY_STATE = "gateway/state";

/** The least a Redux action is. */
export interface Action<T extends string = string> {
  readonly type: T;
}

export interface GatewayRequestAction<E extends ClientEventName = ClientEventName>
  extends Action<typeof GATEWAY_REQUEST> {
  readonly payload: {
    readonly event: E;
    readonly data: RequestPayload<E>;
    readonly meta?: Record<string, unknown>;
  };
}

export interface GatewaySendAction<E extends ClientEventName = ClientEventName>
  extends Action<typeof GATEWAY_SEND> {
  readonly payload: { readonly event: E; readonly data: RequestPayload<E> };
}

/** The request's event and `_seq`, then the caller's own meta. */
export interface GatewayRequestMeta {
  readonly event: ClientEventName;
  readonly seq?: number;
  readonly [key: string]: unknown;
}

export interface GatewaySuccessAction extends Action<typeof GATEWAY_REQUEST_SUCCESS> {
  readonly payload: unknown;
  readonly meta: GatewayRequestMeta;
}

/** The fields a REST failure action carries too. */
export interface GatewayFailurePayload {
  readonly code: number;
  readonly error: string;
  readonly message: string;
  readonly human: string;
}

export interface GatewayFailureAction extends Action<typeof GATEWAY_REQUEST_FAILURE> {
  readonly payload: GatewayFailurePayload;
  readonly error: true;
  readonly meta: GatewayRequestMeta;
}

export interface GatewayEventAction extends Action<typeof GATEWAY_EVENT> {
  readonly payload: { readonly event: ServerEventName; readonly data: ServerFrame };
}

export interface GatewayMalformedAction extends Action<typeof GATEWAY_MALFORMED> {
  readonly payload: MalformedFrame;
}

export interface GatewayStateAction extends Action<typeof GATEWAY_STATE> {
  readonly payload: StateDetail & { readonly state: ConnectionState };
}

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

/** Asks the middleware to send a request and dispatch its outcome. */
export function gatewayRequest<E extends ClientEventName>(
  event: E,
  data: RequestPayload<E>,
  meta?: Record<string, unknown>,
): GatewayRequestAction<E> {
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

function isAction<T extends string>(action: unknown, type: T): action is Action<T> {
  return typeof action === "object" && action !== null &&
    (action as { type?: unknown }).type === type;
}

function failurePayload(error: unknown): GatewayFailurePayload {
  if (error instanceof GatewayRequestError) {
    return { code: error.code, error: error.error, message: error.message, human: error.human };
  }
  return {
    code: 0,
    error: "internal",
    message: error instanceof Error ? error.message : String(error),
    human: "Something went wrong.",
  };
}

/**
 * Connects a `GatewayClient` to a Redux store. `gateway/request` actions
 * pass on to the reducers (so they can mark loading) and are sent; their
 * outcome is dispatched as `gateway/request/success` or
 * `gateway/request/failure`, shaped like a REST call's, and `dispatch`
 * returns a promise of that outcome action. Server pushes become
 * `gateway/event`, unreadable frames `gateway/malformed`, and connection
 * changes `gateway/state`.
 */
export function createGatewayMiddleware(client: GatewayClient): GatewayMiddleware {
  return (store) => {
    const dispatch = (action: Action): void => {
      try {
        store.dispatch(action);
      } catch (error) {
        // A reducer's bug must not turn into an unhandled rejection of the request.
        globalThis.reportError(error);
      }
    };
    client.on("*", (frame) => {
      const action: GatewayEventAction = {
        type: GATEWAY_EVENT,
        payload: { event: frame._event, data: frame },
      };
      dispatch(action);
    });
    client.on("malformed", (malformed) => {
      const action: GatewayMalformedAction = { type: GATEWAY_MALFORMED, payload: malformed };
      dispatch(action);
    });
    client.onState((state, detail) => {
      const action: GatewayStateAction = { type: GATEWAY_STATE, payload: { ...detail, state } };
      dispatch(action);
    });

    return (next) => (action) => {
      if (isAction(action, GATEWAY_SEND)) {
        next(action);
        const { event, data } = (action as GatewaySendAction).payload;
        return client.send(event, data);
      }
      if (!isAction(action, GATEWAY_REQUEST)) return next(action);
      next(action);
      const { event, data, meta } = (action as GatewayRequestAction).payload;
      let seq: number | undefined;
      const metaOf = (): GatewayRequestMeta => ({
        event,
        ...(seq === undefined ? {} : { seq }),
        ...meta,
      });
      return client.request(event, data, { onSeq: (assigned) => seq = assigned }).then(
        (result): GatewaySuccessAction => {
          const success: GatewaySuccessAction = {
            type: GATEWAY_REQUEST_SUCCESS,
            payload: result,
            meta: metaOf(),
          };
          dispatch(success);
          return success;
        },
        (error: unknown): GatewayFailureAction => {
          const failure: GatewayFailureAction = {
            type: GATEWAY_REQUEST_FAILURE,
            payload: failurePayload(error),
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
