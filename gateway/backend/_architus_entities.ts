import { ID_PATTERN, type PoolType } from "../protocol/mod.ts";

/**
 * The one place where the original shards' names and shapes meet today's
 * protocol. Private to the backend folder.
 *
 * | client pool (today)      | shard pool (`pool_types.py`) | entity changes                              |
 * | ------------------------ | ---------------------------- | ------------------------------------------- |
 * | `member`                 | `member`                     | none                                        |
 * | `channel`, `role`        | `channel`, `role`            | none                                        |
 * | `customEmoji`            | `customEmoji`                | `authorId: "None"` → `null`; `{}` dropped   |
 * | `auto_response`          | `autoResponse`               | camelCase → snake_case; punctuation joined  |
 * | `setting_value`          | `settingValue`               | never asked: it crashes the shard           |
 * | `user`                   | `user`                       | none                                        |
 * | `partial_user`           | `user`                       | `discriminator` as a number                 |
 * | `guild`                  | `guild`                      | `owner` = `owner_id` is the caller          |
 * | `partial_guild`          | `guild`                      | only the partial fields                     |
 */
export const SHARD_POOL: Readonly<Record<PoolType, string>> = {
  member: "member",
  channel: "channel",
  role: "role",
  customEmoji: "customEmoji",
  auto_response: "autoResponse",
  setting_value: "settingValue",
  user: "user",
  partial_user: "user",
  guild: "guild",
  partial_guild: "guild",
};

/** Pools the shard's `pool_request` finds by id; for the others the whole pool is fetched. */
export const BY_ID: ReadonlySet<PoolType> = new Set<PoolType>([
  "member",
  "customEmoji",
  "user",
  "partial_user",
  "guild",
  "partial_guild",
]);

type Entity = Record<string, unknown>;

const isEntity = (v: unknown): v is Entity =>
  typeof v === "object" && v !== null && !Array.isArray(v) &&
  typeof (v as Entity).id === "string" && ID_PATTERN.test((v as Entity).id as string);

/** A Discord permission bitfield (a string in Discord's API, an int from the shard). */
const bits = (v: unknown): number => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : 0;
};

function guild(raw: Entity, userId: string): Entity {
  return {
    ...raw,
    owner: typeof raw.owner === "boolean" ? raw.owner : raw.owner_id === userId,
    has_architus: raw.has_architus === true,
    architus_admin: raw.architus_admin === true,
    permissions: bits(raw.permissions),
  };
}

function partialGuild(raw: Entity): Entity {
  const count = raw.member_count ?? raw.approximate_member_count;
  return {
    id: raw.id,
    name: raw.name,
    icon: raw.icon ?? null,
    has_architus: raw.has_architus === true,
    architus_admin: raw.architus_admin === true,
    permissions: bits(raw.permissions),
    member_count: typeof count === "number" ? count : 0,
  };
}

function autoResponse(raw: Entity): Entity {
  const punctuation = raw.triggerPunctuation;
  return {
    id: raw.id,
    trigger: raw.trigger,
    response: raw.response,
    author_id: raw.authorId ?? null,
    guild_id: raw.guildId,
    trigger_regex: raw.triggerRegex,
    trigger_punctuation: Array.isArray(punctuation) ? punctuation.join("") : punctuation ?? "",
    response_tokens: raw.responseTokens ?? [],
    count: raw.count,
    mode: raw.mode,
  };
}

/**
 * A shard entity in today's shape for `type`, or null when it cannot be one
 * (the `{}` the shard returns for a fetched custom emoji, anything without
 * an id). `userId` is the caller, for a guild's `owner`.
 */
export function clientEntity(type: PoolType, raw: unknown, userId: string): Entity | null {
  if (!isEntity(raw)) return null;
  switch (type) {
    case "partial_user":
      return {
        id: raw.id,
        username: raw.username,
        discriminator: Number(raw.discriminator),
        avatar: raw.avatar ?? null,
      };
    case "customEmoji":
      return raw.authorId === "None" ? { ...raw, authorId: null } : raw;
    case "auto_response":
      return autoResponse(raw);
    case "guild":
      return guild(raw, userId);
    case "partial_guild":
      return partialGuild(raw);
    default:
      return raw;
  }
}

/** Discord's partial guild (`/users/@me/guilds`) of a guild without Architus, as the shard's. */
export function discordOnlyGuild(raw: unknown): Entity | null {
  if (!isEntity(raw)) return null;
  return { ...raw, has_architus: false, architus_admin: false, permissions: bits(raw.permissions) };
}
