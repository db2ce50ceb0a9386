// This module is browser-compatible.
import { LogEventType } from "../../client/mod.ts";

/** How a kind of event is coloured in the viewer. */
export type LogTone = "message" | "reaction" | "member" | "moderation" | "server" | "other";

export interface LogTypeInfo {
  readonly label: string;
  readonly tone: LogTone;
}

/**
 * Human names of every `EventType` of Architus's logs data model
 * (`logs.event.Event`): Discord's audit-log numbers below 2000, events the
 * gateway observes from 2000 up. Not only those the demo produces: a real
 * backend sends the others too.
 */
const TYPES: Readonly<Record<number, LogTypeInfo>> = {
  0: { label: "Unknown", tone: "other" },
  1: { label: "Server updated", tone: "server" },
  10: { label: "Channel created", tone: "server" },
  11: { label: "Channel updated", tone: "server" },
  12: { label: "Channel deleted", tone: "server" },
  13: { label: "Overwrite created", tone: "server" },
  14: { label: "Overwrite updated", tone: "server" },
  15: { label: "Overwrite deleted", tone: "server" },
  20: { label: "Member kicked", tone: "moderation" },
  21: { label: "Members pruned", tone: "moderation" },
  22: { label: "Member banned", tone: "moderation" },
  23: { label: "Ban lifted", tone: "moderation" },
  24: { label: "Member updated", tone: "member" },
  25: { label: "Roles changed", tone: "moderation" },
  26: { label: "Moved in voice", tone: "member" },
  27: { label: "Kicked from voice", tone: "moderation" },
  28: { label: "Bot added", tone: "server" },
  30: { label: "Role created", tone: "server" },
  31: { label: "Role updated", tone: "server" },
  32: { label: "Role deleted", tone: "server" },
  40: { label: "Invite created", tone: "server" },
  41: { label: "Invite updated", tone: "server" },
  42: { label: "Invite deleted", tone: "server" },
  50: { label: "Webhook created", tone: "server" },
  51: { label: "Webhook updated", tone: "server" },
  52: { label: "Webhook deleted", tone: "server" },
  60: { label: "Emoji created", tone: "server" },
  61: { label: "Emoji updated", tone: "server" },
  62: { label: "Emoji deleted", tone: "server" },
  72: { label: "Message deleted", tone: "moderation" },
  73: { label: "Messages bulk deleted", tone: "moderation" },
  74: { label: "Message pinned", tone: "message" },
  75: { label: "Message unpinned", tone: "message" },
  80: { label: "Integration created", tone: "server" },
  81: { label: "Integration updated", tone: "server" },
  82: { label: "Integration deleted", tone: "server" },
  2000: { label: "Architus joined", tone: "server" },
  2001: { label: "Member joined", tone: "member" },
  2002: { label: "Member left", tone: "member" },
  2003: { label: "Message sent", tone: "message" },
  2004: { label: "Reply sent", tone: "message" },
  2005: { label: "Message edited", tone: "message" },
  2006: { label: "Reaction added", tone: "reaction" },
  2007: { label: "Reaction removed", tone: "reaction" },
  2008: { label: "Reactions cleared", tone: "reaction" },
  2009: { label: "Interaction", tone: "message" },
};

/** The name and colour of an event type; unknown numbers keep their number. */
export function logTypeInfo(type: number): LogTypeInfo {
  return TYPES[type] ?? { label: `Type ${type}`, tone: "other" };
}

/**
 * The types offered in the type filter: those the protocol names, most
 * common first (chat, then members, then moderation and server changes).
 */
export const FILTER_TYPES: readonly number[] = [
  LogEventType.MessageSend,
  LogEventType.MessageReply,
  LogEventType.MessageEdit,
  LogEventType.MessageDelete,
  LogEventType.MessageBulkDelete,
  LogEventType.MessagePin,
  LogEventType.ReactionAdd,
  LogEventType.ReactionRemove,
  LogEventType.MemberJoin,
  LogEventType.MemberLeave,
  LogEventType.MemberUpdate,
  LogEventType.MemberRoleUpdate,
  LogEventType.MemberKick,
  LogEventType.MemberBanAdd,
  LogEventType.ChannelCreate,
  LogEventType.ChannelUpdate,
  LogEventType.ChannelDelete,
  LogEventType.RoleCreate,
  LogEventType.RoleUpdate,
  LogEventType.RoleDelete,
  LogEventType.EmojiCreate,
  LogEventType.GuildUpdate,
  LogEventType.GuildCreate,
];
