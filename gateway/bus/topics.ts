/**
 * The topic scheme. Events for a guild travel on one key per category, so
 * a node binds exactly the categories its spectators may see and the
 * broker drops the rest:
 *
 * | key                          | carries                                              |
 * | ---------------------------- | ---------------------------------------------------- |
 * | `guild.<id>.pool`            | entity changes (`log_pool`)                          |
 * | `guild.<id>.log.public`      | public log events (`log_other`)                      |
 * | `guild.<id>.log.private`     | private log events (`log_other`)                     |
 * | `guild.<id>.access`          | a member's access changed: spectators are re-checked |
 * | `gateway.demote`             | sign-out: demote a user on every node                |
 */
export type Category = "pool" | "log.public" | "log.private";

/** What a guild topic carries: a category spectators receive, or access changes. */
export type GuildTopicKind = Category | "access";

export const CATEGORIES: readonly Category[] = ["pool", "log.public", "log.private"];

/** The routing key of one guild's category. */
export function guildTopic(guildId: string, category: Category): string {
  return `guild.${guildId}.${category}`;
}

/** The routing key of a guild's access changes, bound while the guild has spectators. */
export function guildAccessTopic(guildId: string): string {
  return `guild.${guildId}.access`;
}

/** Parses a guild routing key; null when it is not one. */
export function parseGuildTopic(topic: string): { guildId: string; kind: GuildTopicKind } | null {
  const m = /^guild\.([0-9]{1,20})\.(pool|log\.public|log\.private|access)$/.exec(topic);
  if (m === null) return null;
  return { guildId: m[1] as string, kind: m[2] as GuildTopicKind };
}

/** Cross-node control: demote every connection of a user (sign-out). */
export const DEMOTE_TOPIC = "gateway.demote";

/** The shard queue of a guild-scoped call: `shard_rpc_{(guild_id >> 22) % shards}`. */
export function shardQueue(guildId: string | null, shards: number): string {
  if (guildId === null) return AGNOSTIC_QUEUE(shards);
  return `shard_rpc_${(BigInt(guildId) >> 22n) % BigInt(shards)}`;
}

/**
 * Guild-agnostic calls (users, a user's guild list) go to shard 0, always:
 * deterministic, unlike the original's random shard, and any shard can
 * answer them from the shared data.
 */
function AGNOSTIC_QUEUE(_shards: number): string {
  return "shard_rpc_0";
}
