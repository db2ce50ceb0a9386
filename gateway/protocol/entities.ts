// This module is browser-compatible.
import * as z from "./_zod.ts";
import { IdString } from "./ids.ts";

/** Shapes of pool entities, as the archit.us web client (its current `develop`) decodes them. */

const optional = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));

export const Member = z.object({
  id: IdString,
  name: z.string(),
  nick: optional(z.string()),
  avatar: optional(z.string()),
  discriminator: z.string(),
  roles: z.array(IdString),
  color: optional(z.string()),
  joined_at: z.string(),
  /** Presence, for "online members" (an addition; older clients ignore it). */
  status: z.optional(z.enum(["online", "idle", "dnd", "offline"])),
});
export type Member = z.infer<typeof Member>;

export const User = z.object({
  id: IdString,
  username: z.string(),
  discriminator: z.string(),
  avatar: optional(z.string()),
  bot: z.optional(z.boolean()),
});
export type User = z.infer<typeof User>;

/** `partial_user`: the current client decodes `discriminator` as a number. */
export const PartialUser = z.object({
  id: IdString,
  username: z.string(),
  discriminator: z.int(),
  avatar: optional(z.string()),
});
export type PartialUser = z.infer<typeof PartialUser>;

export const Channel = z.object({
  id: IdString,
  name: z.string(),
  type: z.optional(z.enum(["text", "voice", "category"])),
  position: z.optional(z.int()),
});
export type Channel = z.infer<typeof Channel>;

export const Role = z.object({
  id: IdString,
  name: z.string(),
  hoist: z.boolean(),
  position: z.int(),
  managed: z.boolean(),
  mentionable: z.boolean(),
  members: z.array(IdString),
  color: z.string(),
  permissions: z.optional(z.int()),
});
export type Role = z.infer<typeof Role>;

export const CustomEmoji = z.object({
  id: IdString,
  name: z.string(),
  authorId: IdString,
  discordId: optional(IdString),
  url: z.string(),
  numUses: z.int(),
  priority: z.number(),
});
export type CustomEmoji = z.infer<typeof CustomEmoji>;

export const Guild = z.object({
  id: IdString,
  name: z.string(),
  icon: optional(z.string()),
  splash: optional(z.string()),
  owner_id: IdString,
  owner: z.boolean(),
  region: optional(z.array(z.string())),
  features: z.array(z.string()),
  member_count: z.int(),
  has_architus: z.boolean(),
  architus_admin: z.boolean(),
  permissions: z.int(),
  description: optional(z.string()),
  premium_tier: z.optional(z.int()),
  preferred_locale: z.optional(z.string()),
});
export type Guild = z.infer<typeof Guild>;

export const PartialGuild = z.object({
  id: IdString,
  name: z.string(),
  icon: optional(z.string()),
  has_architus: z.boolean(),
  architus_admin: z.boolean(),
  permissions: z.int(),
  member_count: z.int(),
});
export type PartialGuild = z.infer<typeof PartialGuild>;

export const AutoResponse = z.object({
  id: IdString,
  trigger: z.string(),
  response: z.string(),
  author_id: optional(IdString),
  guild_id: IdString,
  trigger_regex: z.string(),
  trigger_punctuation: z.string(),
  response_tokens: z.array(z.tuple([z.string(), z.string()])),
  count: z.int(),
  mode: z.enum(["punctuated", "naive", "regex"]),
});
export type AutoResponse = z.infer<typeof AutoResponse>;

/** A settings value: a flat (setting id, value) pair; the presentational schema is REST's. */
export const SettingValue = z.object({
  id: z.string(),
  guild_id: IdString,
  value: z.unknown(),
});
export type SettingValue = z.infer<typeof SettingValue>;
