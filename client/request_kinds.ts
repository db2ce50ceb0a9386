// This module is browser-compatible.
import type {
  AutoResponse,
  Channel,
  ClientEventName,
  ClientFrameOf,
  CustomEmoji,
  Guild,
  Member,
  PartialGuild,
  PartialUser,
  PoolType,
  Role,
  ServerEventName,
  ServerFrameOf,
  SettingValue,
  User,
} from "./protocol/mod.ts";

/** Requests answered by a stream of `pool_response` chunks. */
export type PoolEventName = "pool_request" | "pool_all_request" | "pool_search";

/** The single answer each other request expects. */
export const REPLY_EVENTS = {
  request_elevation: "elevation_return",
  session: "session_return",
  spectate: "spectate_return",
  mock_user_event: "mock_bot_event",
  ping: "mock_bot_event",
  interpret: "mock_bot_event",
  logs_request: "logs_response",
} as const satisfies Record<Exclude<ClientEventName, PoolEventName>, ServerEventName>;

export type ReplyRequestName = keyof typeof REPLY_EVENTS;

export const POOL_EVENTS: ReadonlySet<ClientEventName> = new Set<ClientEventName>([
  "pool_request",
  "pool_all_request",
  "pool_search",
]);

/**
 * Requests that may be sent again after a connection drops mid-answer, or
 * after a "not now" error when retries are on. Elevation is not one:
 * archit.us elevated with single-use nonces, and the interpret mock would
 * run a command twice.
 */
export const IDEMPOTENT_EVENTS: ReadonlySet<ClientEventName> = new Set<ClientEventName>([
  "pool_request",
  "pool_all_request",
  "pool_search",
  "logs_request",
  "session",
  "spectate",
]);

/** A request's own fields: the frame without `_event` and `_seq`. */
export type RequestPayload<E extends ClientEventName> = Omit<ClientFrameOf<E>, "_event" | "_seq">;

/** The entity each pool holds. */
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

/** Every chunk of a pool answer, concatenated in arrival order. */
export interface PoolResult<T = unknown> {
  data: T[];
  nonexistent: string[];
}

/** One `pool_response` chunk as `stream()` yields it. */
export interface PoolChunk<T = unknown> {
  readonly data: T[];
  readonly nonexistent: string[];
  readonly finished: boolean;
}

/** The entity a pool request answers with, from its `type` (`pool_search` finds members). */
export type PoolEntityOf<E extends ClientEventName, P> = E extends "pool_search" ? Member
  : P extends { readonly type: infer T extends PoolType } ? PoolEntityMap[T]
  : PoolEntityMap[PoolType];

/** What `request()` resolves: the pool's entities, or the single answer frame. */
export type RequestResult<E extends ClientEventName, P = RequestPayload<E>> = E extends
  PoolEventName ? PoolResult<PoolEntityOf<E, P>>
  : E extends ReplyRequestName ? ServerFrameOf<typeof REPLY_EVENTS[E]>
  : never;
