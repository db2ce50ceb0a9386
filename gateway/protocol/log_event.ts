// This module is browser-compatible.
import * as z from "./_zod.ts";
import { IdString } from "./ids.ts";

/**
 * Event types of Architus' `logs.event.Event` protobuf (its `EventType` enum). Numbers below 2000
 * are Discord's audit-log numbers; 2000 and up are gateway-observed events.
 */
export const LogEventType = {
  Unknown: 0,
  GuildUpdate: 1,
  ChannelCreate: 10,
  ChannelUpdate: 11,
  ChannelDelete: 12,
  MemberKick: 20,
  MemberBanAdd: 22,
  MemberUpdate: 24,
  MemberRoleUpdate: 25,
  RoleCreate: 30,
  RoleUpdate: 31,
  RoleDelete: 32,
  EmojiCreate: 60,
  MessageDelete: 72,
  MessageBulkDelete: 73,
  MessagePin: 74,
  GuildCreate: 2000,
  MemberJoin: 2001,
  MemberLeave: 2002,
  MessageSend: 2003,
  MessageReply: 2004,
  MessageEdit: 2005,
  ReactionAdd: 2006,
  ReactionRemove: 2007,
} as const;

export const LogEventOrigin = { Unknown: 0, Gateway: 1, AuditLog: 2, Hybrid: 3 } as const;
export const LogEntityType = {
  None: 0,
  UserLike: 1,
  Message: 2,
  Role: 3,
  Channel: 4,
  Emoji: 5,
} as const;
export const LogAgentSpecialType = {
  Default: 0,
  Bot: 1,
  Webhook: 2,
  System: 3,
  Architus: 4,
} as const;

const optionalId = z.optional(z.nullable(IdString));

/**
 * One log event, the same shape live (`log_other`) and from history
 * (`logs_response`). Every 64-bit id is a decimal string. `id` is a hoar
 * frost, so ids of one guild are ordered by time. `private` events reach
 * only connections holding VIEW_PRIVATE_LOGS.
 */
export const LogEvent = z.object({
  id: IdString,
  timestamp: z.number().check(z.int(), z.nonnegative()),
  type: z.int(),
  origin: z.int(),
  guild_id: IdString,
  channel_id: optionalId,
  agent_id: optionalId,
  agent_type: z.optional(z.int()),
  agent_special_type: z.optional(z.int()),
  subject_id: optionalId,
  subject_type: z.optional(z.int()),
  auxiliary_id: optionalId,
  auxiliary_type: z.optional(z.int()),
  content: z.string(),
  reason: z.optional(z.nullable(z.string())),
  audit_log_id: optionalId,
  private: z.boolean(),
});
export type LogEvent = z.infer<typeof LogEvent>;

/** Filter of a history request; every part is optional and all parts must match. */
export const LogFilter = z.object({
  types: z.optional(z.array(z.int()).check(z.maxLength(64))),
  agent_id: z.optional(IdString),
  channel_id: z.optional(IdString),
  text: z.optional(z.string().check(z.maxLength(200))),
});
export type LogFilter = z.infer<typeof LogFilter>;
