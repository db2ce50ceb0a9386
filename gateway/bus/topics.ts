/**
 * The topic scheme. Events for a guild travel on one key per category, so
 * a node binds exactly the categories its spectators may see and the
 * broker drops the rest:
 *
 * | key                          | carries                                  |
 * | ---------------------------- | ---------------------------------------- |
 * | `guild.<id>.pool`            | entity changes (`log_pool`)              |
 * | `guild.<id>.log.public`      | public log events (`log_other`)          |
 * | `guild.<id>.log.private`     | private log events (`log_other`)         |
 * | `gateway.demote`             | sign-out: demote a user on every node    |
 */
export type Category = "pool" | "log.public" | "log.private";

export const CATEGORIES: readonly Category[] = ["pool", "log.public", "log.private"];

/** The routing key of one guild's category. */
export function guildTopic(guildId: string, category: Category): string {
  return `guild.${guildId}.${category}`;
}

/** Parses a guild routing key; null when it is not one. */
export function parseGuildTopic(topic: string): { guildId: string; category: Category } | null {
  const m = /^guild\.([0-9]{1,20})\.(pool|log\.public|log\.private)$/.exec(topic);
  if (m === null) return null;
  return { guildId: m[1] as string, category: m[2] as Category };
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
