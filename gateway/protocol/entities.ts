// This module is browser-compatible.
import { z } from "zod";
import { IdString } from "./ids.ts";

/** Shapes of pool entities, as the archit.us web client (its current `develop`) decodes them. */

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

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
  status: z.enum(["online", "idle", "dnd", "offline"]).optional(),
});
export type Member = z.infer<typeof Member>;

export const User = z.object({
  id: IdString,
  username: z.string(),
  discriminator: z.string(),
  avatar: optional(z.string()),
  bot: z.boolean().optional(),
});
export type User = z.infer<typeof User>;

/** `partial_user`: the current client decodes `discriminator` as a number. */
export const PartialUser = z.object({
  id: IdString,
  username: z.string(),
  discriminator: z.number().int(),
  avatar: optional(z.string()),
});
export type PartialUser = z.infer<typeof PartialUser>;

export const Channel = z.object({
  id: IdString,
  name: z.string(),
  type: z.enum(["text", "voice", "category"]).optional(),
  position: z.number().int().optional(),
});
export type Channel = z.infer<typeof Channel>;

export const Role = z.object({
  id: IdString,
  name: z.string(),
  hoist: z.boolean(),
  position: z.number().int(),
  managed: z.boolean(),
  mentionable: z.boolean(),
  members: z.array(IdString),
  color: z.string(),
  permissions: z.number().int().optional(),
});
export type Role = z.infer<typeof Role>;

export const CustomEmoji = z.object({
  id: IdString,
  name: z.string(),
  authorId: IdString,
  discordId: optional(IdString),
  url: z.string(),
  numUses: z.number().int(),
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
  member_count: z.number().int(),
  has_architus: z.boolean(),
  architus_admin: z.boolean(),
  permissions: z.number().int(),
  description: optional(z.string()),
  premium_tier: z.number().int().optional(),
  preferred_locale: z.string().optional(),
});
export type Guild = z.infer<typeof Guild>;

export const PartialGuild = z.object({
  id: IdString,
  name: z.string(),
  icon: optional(z.string()),
  has_architus: z.boolean(),
  architus_admin: z.boolean(),
  permissions: z.number().int(),
  member_count: z.number().int(),
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
  count: z.number().int(),
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
