// This module is browser-compatible.
/**
 * What the gateway sends: answers (with the request's `seq`) and pushes.
 *
 * @module
 */
import * as z from "./_zod.ts";
import { IdString } from "./ids.ts";
import { LogEvent } from "./log_event.ts";
import { MockAction } from "./mock_actions.ts";

const seq = z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));
/** Every answer echoes its request's `_seq` as `seq`; pushes carry none. */
const reply = { seq: z.optional(seq) };

export const ErrorFrame = z.object({
  _event: z.literal("error"),
  ...reply,
  /** HTTP-like number, as the archit.us client decodes it. */
  code: z.int(),
  /** Stable machine name (see `ErrorCode`). */
  error: z.string(),
  message: z.string(),
  human: z.string(),
  details: z.optional(z.record(z.string(), z.unknown())),
  /** Seconds to wait, on `rate_limited`. */
  retry_after: z.optional(z.number()),
});

/** The body of an error, as embedded in a terminal `pool_response`. */
export const ErrorBody = z.omit(ErrorFrame, { _event: true, seq: true });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ElevationReturn = z.object({
  _event: z.literal("elevation_return"),
  ...reply,
  result: z.boolean(),
  message: z.string(),
  user_id: z.optional(IdString),
  /** Milliseconds since the Unix epoch. */
  expires_at: z.optional(z.number()),
});

export const SessionReturn = z.object({
  _event: z.literal("session_return"),
  ...reply,
  version: z.int(),
  elevated: z.boolean(),
  user_id: z.nullable(IdString),
  expires_at: z.nullable(z.number()),
  spectating: z.nullable(IdString),
});

export const Demoted = z.object({
  _event: z.literal("demoted"),
  reason: z.enum(["expired", "signed_out"]),
});

export const SpectateReturn = z.object({
  _event: z.literal("spectate_return"),
  ...reply,
  guild_id: z.nullable(IdString),
  tier: z.string(),
  permissions: z.int(),
  /** Bus categories this connection receives for the guild. */
  categories: z.array(z.enum(["pool", "log.public", "log.private"])),
  logs: z.enum(["granted", "refused", "not_requested"]),
  /** With `since`: whether every event after it could be replayed. */
  recovered: z.optional(z.boolean()),
  /** With `since`: how many events the replay sends after this answer. */
  replayed: z.optional(z.int().check(z.nonnegative())),
});

/** Pushed when the backend says a spectator's access changed but it may still watch. */
export const AccessChanged = z.object({
  _event: z.literal("access_changed"),
  guild_id: IdString,
  tier: z.string(),
  permissions: z.int(),
  /** The bus categories the connection receives from now on. */
  categories: z.array(z.enum(["pool", "log.public", "log.private"])),
  logs: z.enum(["granted", "refused", "not_requested"]),
});

/** Pushed when a spectate ends without the client asking (access withdrawn). */
export const SpectateEnded = z.object({
  _event: z.literal("spectate_ended"),
  guild_id: IdString,
  /**
   * `not_a_member`: the backend says the user may no longer watch the guild;
   * `access_unverified`: the backend could not confirm the access in time.
   */
  reason: z.enum(["not_a_member", "access_unverified"]),
});

export const PoolResponse = z.object({
  _event: z.literal("pool_response"),
  seq,
  finished: z.boolean(),
  data: z.array(z.unknown()),
  nonexistent: z.array(z.string()),
  /** Present on the terminal chunk of a failed request. */
  error: z.optional(ErrorBody),
});

export const MockBotAction = z.discriminatedUnion("action", [
  z.object({
    action: z.literal(MockAction.messageSend),
    messageId: z.int(),
    content: z.string(),
  }),
  z.object({
    action: z.literal(MockAction.messageEdit),
    messageId: z.int(),
    content: z.string(),
  }),
  z.object({ action: z.literal(MockAction.messageDelete), messageId: z.int() }),
  z.object({
    action: z.literal(MockAction.reactionAdd),
    messageId: z.int(),
    emoji: z.string(),
  }),
  z.object({
    action: z.literal(MockAction.reactionRemove),
    messageId: z.int(),
    emoji: z.string(),
    targetsUser: z.boolean(),
  }),
]);
export type MockBotAction = z.infer<typeof MockBotAction>;

export const MockBotEvent = z.object({
  _event: z.literal("mock_bot_event"),
  ...reply,
  /** As the request named it: a mock guild's number, or a real guild's id (the bot channel). */
  guildId: z.union([z.int(), IdString]),
  actions: z.array(MockBotAction),
});

export const LogPool = z.object({
  _event: z.literal("log_pool"),
  guild_id: IdString,
  type: z.string(),
  action: z.enum(["add", "update", "remove"]),
  /** The entity after the change; absent on `remove`. */
  entity: z.optional(z.unknown()),
  /** The entity's id (always present; the only field on `remove`). */
  id: z.string(),
});

export const LogOther = z.object({
  _event: z.literal("log_other"),
  guild_id: IdString,
  /** One or more events in id order (batched under load). */
  events: z.array(LogEvent),
});

export const LogGap = z.object({
  _event: z.literal("log_gap"),
  guild_id: IdString,
  /** Events with ids after `after` and up to `until` were not sent. */
  after: z.nullable(IdString),
  until: IdString,
  reason: z.enum(["slow_consumer", "bus_outage"]),
});

export const LogsResponse = z.object({
  _event: z.literal("logs_response"),
  seq,
  guild_id: IdString,
  events: z.array(LogEvent),
  has_more: z.boolean(),
});

export const SERVER_FRAMES = {
  error: ErrorFrame,
  elevation_return: ElevationReturn,
  session_return: SessionReturn,
  demoted: Demoted,
  spectate_return: SpectateReturn,
  access_changed: AccessChanged,
  spectate_ended: SpectateEnded,
  pool_response: PoolResponse,
  mock_bot_event: MockBotEvent,
  log_pool: LogPool,
  log_other: LogOther,
  log_gap: LogGap,
  logs_response: LogsResponse,
} as const;

export type ServerEventName = keyof typeof SERVER_FRAMES;
export type ServerFrameOf<E extends ServerEventName> = z.infer<typeof SERVER_FRAMES[E]>;
export type ServerFrame = { [E in ServerEventName]: ServerFrameOf<E> }[ServerEventName];

/** One schema for any server frame, for tests and generated documents. */
export const AnyServerFrame = z.discriminatedUnion("_event", [
  ErrorFrame,
  ElevationReturn,
  SessionReturn,
  Demoted,
  SpectateReturn,
  AccessChanged,
  SpectateEnded,
  PoolResponse,
  MockBotEvent,
  LogPool,
  LogOther,
  LogGap,
  LogsResponse,
]);
