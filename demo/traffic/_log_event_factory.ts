import { HoarFrostGenerator } from "../../gateway/protocol/mod.ts";
import {
  type Channel,
  LogAgentSpecialType,
  LogEntityType,
  type LogEvent,
  LogEventOrigin,
  LogEventType,
  type Member,
} from "../../gateway/protocol/mod.ts";
import type { GuildState } from "../guild_state.ts";
import { SeededRandom } from "../seeded_random.ts";

const PHRASES = [
  "anyone up for a game tonight?",
  "gm everyone",
  "that patch broke my build again",
  "check the pinned messages first",
  "lol",
  "who's streaming later?",
  "thanks for the help earlier",
  "the bot is so fast today",
  "meeting moved to 8pm",
  "can someone review my PR?",
  "new emoji just dropped",
  "brb",
  "**important:** read the rules",
  "does anyone have the notes from monday",
  "gg",
];
const EMOJIS = ["👍", "😂", "🎉", "❤️", "🔥", "👀", "✅"];

interface Kind {
  readonly type: number;
  readonly weight: number;
  readonly private: boolean;
  readonly origin: number;
}

/** The demo mix: mostly chat, some moderation, a share of private audit events. */
const KINDS: readonly Kind[] = [
  { type: LogEventType.MessageSend, weight: 50, private: false, origin: LogEventOrigin.Gateway },
  { type: LogEventType.MessageReply, weight: 8, private: false, origin: LogEventOrigin.Gateway },
  { type: LogEventType.MessageEdit, weight: 9, private: false, origin: LogEventOrigin.Gateway },
  { type: LogEventType.ReactionAdd, weight: 12, private: false, origin: LogEventOrigin.Gateway },
  { type: LogEventType.ReactionRemove, weight: 3, private: false, origin: LogEventOrigin.Gateway },
  { type: LogEventType.MemberJoin, weight: 3, private: false, origin: LogEventOrigin.Gateway },
  { type: LogEventType.MemberLeave, weight: 2, private: false, origin: LogEventOrigin.Gateway },
  { type: LogEventType.MessageDelete, weight: 5, private: true, origin: LogEventOrigin.Hybrid },
  {
    type: LogEventType.MemberRoleUpdate,
    weight: 3,
    private: true,
    origin: LogEventOrigin.AuditLog,
  },
  { type: LogEventType.RoleUpdate, weight: 1, private: true, origin: LogEventOrigin.AuditLog },
  { type: LogEventType.ChannelUpdate, weight: 2, private: true, origin: LogEventOrigin.AuditLog },
  { type: LogEventType.MemberBanAdd, weight: 1, private: true, origin: LogEventOrigin.AuditLog },
  { type: LogEventType.MemberKick, weight: 1, private: true, origin: LogEventOrigin.AuditLog },
];
const TOTAL_WEIGHT = KINDS.reduce((n, k) => n + k.weight, 0);

/**
 * Makes realistic log events for a demo guild: ids are hoar frosts from
 * one generator, so they increase; agents, channels and roles are the
 * guild's own; about one in seven is private (deletions and audit-log
 * moderation).
 */
export class LogEventFactory {
  readonly #ids: HoarFrostGenerator;
  readonly #random: SeededRandom;
  readonly #members = new Map<string, Member[]>();
  readonly #channels = new Map<string, Channel[]>();

  constructor(options: { seed?: number; node?: number } = {}) {
    this.#ids = new HoarFrostGenerator({ node: options.node ?? 1 });
    this.#random = new SeededRandom(options.seed ?? 7);
  }

  /** One new event for `guild`. */
  make(guild: GuildState): LogEvent {
    const r = this.#random;
    let pick = r.next() * TOTAL_WEIGHT;
    let kind = KINDS[0] as Kind;
    for (const k of KINDS) {
      pick -= k.weight;
      if (pick < 0) {
        kind = k;
        break;
      }
    }
    const members = this.#cached(
      this.#members,
      guild.id,
      () => [...guild.pools.member.values()].slice(0, 2000),
    );
    const channels = this.#cached(
      this.#channels,
      guild.id,
      () => [...guild.pools.channel.values()].filter((c) => (c.type ?? "text") === "text"),
    );
    const agent = r.pick(members);
    const subject = r.pick(members);
    const channel = channels.length > 0 ? r.pick(channels) : undefined;
    const id = this.#ids.next();
    const base: LogEvent = {
      id,
      timestamp: Date.now(),
      type: kind.type,
      origin: kind.origin,
      guild_id: guild.id,
      agent_id: agent.id,
      agent_type: LogEntityType.UserLike,
      agent_special_type: LogAgentSpecialType.Default,
      content: "",
      private: kind.private,
    };
    const where = channel !== undefined ? `<#${channel.id}>` : "a channel";
    switch (kind.type) {
      case LogEventType.MessageSend:
      case LogEventType.MessageReply: {
        const text = r.pick(PHRASES);
        const mention = r.chance(0.15) ? `<@${subject.id}> ` : "";
        return {
          ...base,
          channel_id: channel?.id ?? null,
          subject_id: id,
          subject_type: LogEntityType.Message,
          content: `${mention}${text}`,
        };
      }
      case LogEventType.MessageEdit:
        return {
          ...base,
          channel_id: channel?.id ?? null,
          subject_type: LogEntityType.Message,
          content: `edited a message in ${where}: ${r.pick(PHRASES)}`,
        };
      case LogEventType.MessageDelete:
        return {
          ...base,
          channel_id: channel?.id ?? null,
          subject_id: subject.id,
          subject_type: LogEntityType.UserLike,
          content: `<@${agent.id}> deleted a message by <@${subject.id}> in ${where}`,
        };
      case LogEventType.ReactionAdd:
      case LogEventType.ReactionRemove:
        return {
          ...base,
          channel_id: channel?.id ?? null,
          content: `<@${agent.id}> ${
            kind.type === LogEventType.ReactionAdd ? "reacted" : "removed a reaction"
          } ${r.pick(EMOJIS)} in ${where}`,
        };
      case LogEventType.MemberJoin:
        return { ...base, content: `<@${agent.id}> joined` };
      case LogEventType.MemberLeave:
        return { ...base, content: `<@${agent.id}> left` };
      case LogEventType.MemberBanAdd:
      case LogEventType.MemberKick:
        return {
          ...base,
          subject_id: subject.id,
          subject_type: LogEntityType.UserLike,
          content: `<@${agent.id}> ${
            kind.type === LogEventType.MemberKick ? "kicked" : "banned"
          } <@${subject.id}>`,
          reason: r.chance(0.5) ? "spam" : null,
        };
      case LogEventType.MemberRoleUpdate:
        return {
          ...base,
          subject_id: subject.id,
          subject_type: LogEntityType.UserLike,
          content: `<@${agent.id}> changed the roles of <@${subject.id}>`,
        };
      default:
        return {
          ...base,
          channel_id: channel?.id ?? null,
          content: `<@${agent.id}> updated ${
            kind.type === LogEventType.ChannelUpdate ? where : "a role"
          }`,
        };
    }
  }

  #cached<T>(map: Map<string, T[]>, key: string, make: () => T[]): T[] {
    let list = map.get(key);
    if (list === undefined || list.length === 0) map.set(key, list = make());
    return list;
  }
}
