// This module is browser-compatible.
/**
 * The client of the Architus gateway, for browsers, Node and Deno: the
 * connection (`GatewayClient`), an entity cache (`PoolCache`), a Redux
 * adapter (middleware, actions, pool reducer), and the protocol's types
 * and constants. Published as `@architus/gateway-client`; the guide is
 * `docs/client.md`.
 *
 * @module
 */

export { GatewayClient } from "./gateway_client.ts";
export type {
  ClientEventMap,
  ConnectionState,
  ElevationLostEvent,
  GatewayClientOptions,
  GatewayEventMap,
  MalformedFrame,
  RequestOptions,
  ResumedEvent,
  RetryOptions,
  SpectateOptions,
  SpectateTarget,
  StateDetail,
  StateListener,
  SubscribedEvent,
  Subscription,
  TokenSource,
  UnsubscribedEvent,
  UnsubscribedReason,
} from "./client_types.ts";
export {
  IDEMPOTENT_EVENTS,
  POOL_EVENTS,
  type PoolChunk,
  type PoolEntityMap,
  type PoolEntityOf,
  type PoolEventName,
  type PoolResult,
  REPLY_EVENTS,
  type ReplyRequestName,
  type RequestPayload,
  type RequestResult,
} from "./request_kinds.ts";
export {
  ClientErrorName,
  type GatewayErrorFields,
  GatewayRequestError,
  RETRYABLE_ERRORS,
} from "./request_error.ts";
export {
  Backoff,
  type BackoffOptions,
  decorrelatedDelay,
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_MAX_MS,
} from "./backoff.ts";
export { PoolCache, type PoolSearchOptions, type PoolSource } from "./pool_cache.ts";
export {
  canonicalPoolType,
  type PoolChange,
  type PoolListener,
  type PoolLookup,
  type PoolSnapshot,
} from "./pool_state.ts";
export {
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
  type GatewayDispatch,
  gatewayDispatch,
  type GatewayEventAction,
  type GatewayFailureAction,
  type GatewayFailurePayload,
  gatewayForgetPools,
  type GatewayMalformedAction,
  type GatewayOutcomeAction,
  type GatewayPoolsForgetAction,
  gatewayRequest,
  type GatewayRequestAction,
  type GatewayRequestMeta,
  gatewaySend,
  type GatewaySendAction,
  type GatewayStateAction,
  type GatewaySuccessAction,
  isGatewayAction,
} from "./redux_actions.ts";
export {
  createGatewayMiddleware,
  type GatewayMiddleware,
  type MiddlewareStore,
} from "./redux_middleware.ts";
export {
  poolKey,
  type PoolSlice,
  poolsReducer,
  type PoolsState,
  selectPool,
  selectPoolEntities,
} from "./redux_pools.ts";

// The protocol, as the package carries it (generated from gateway/protocol/).
export {
  ArchitusPermission,
  type AutoResponse,
  type Channel,
  type ClientEventName,
  type ClientFrameOf,
  CLOSE_CODE_TABLE,
  CloseCode,
  type CloseCodeName,
  closeCodeName,
  compareIds,
  type CustomEmoji,
  ERROR_HUMAN,
  type ErrorBody,
  ErrorCode,
  type ErrorName,
  type Guild,
  hasPermission,
  HOAR_FROST_EPOCH_MS,
  hoarFrostTime,
  isGuildPool,
  LIMITS,
  LogAgentSpecialType,
  LogEntityType,
  type LogEvent,
  LogEventOrigin,
  LogEventType,
  logEventTypeName,
  type LogFilter,
  type Member,
  MockAction,
  type MockBotAction,
  type PartialGuild,
  type PartialUser,
  POOL_TYPES,
  type PoolType,
  PROTOCOL_VERSION,
  type Role,
  type ServerEventName,
  type ServerFrame,
  type ServerFrameOf,
  type SettingValue,
  shouldReconnect,
  type Tier,
  type User,
} from "./protocol/mod.ts";
