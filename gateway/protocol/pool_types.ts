// This module is browser-compatible.
import * as z from "./_zod.ts";

/** Canonical pool names, as the current archit.us client sends them. */
export const POOL_TYPES = [
  "member",
  "channel",
  "role",
  "customEmoji",
  "auto_response",
  "setting_value",
  "user",
  "partial_user",
  "guild",
  "partial_guild",
] as const;

export type PoolType = typeof POOL_TYPES[number];

/** Older names (the Socket.IO era and the design doc) mapped to canonical ones. */
export const POOL_TYPE_ALIASES: Readonly<Record<string, PoolType>> = {
  autoResponse: "auto_response",
  "auto-response": "auto_response",
  settingValue: "setting_value",
  "setting-value": "setting_value",
  emoji: "customEmoji",
  custom_emoji: "customEmoji",
  partialUser: "partial_user",
  partialGuild: "partial_guild",
};

/** Pools whose entities belong to one guild; requests for them need `guild_id`. */
export const GUILD_POOLS: ReadonlySet<PoolType> = new Set<PoolType>([
  "member",
  "channel",
  "role",
  "customEmoji",
  "auto_response",
  "setting_value",
]);

/** Accepts a canonical pool name or one of its aliases; yields the canonical one. */
export const PoolTypeName: z.ZodMiniType<PoolType> = z.pipe(
  z.string().check(z.maxLength(32)),
  z.transform((s: string, ctx) => {
    const canonical = (POOL_TYPES as readonly string[]).includes(s)
      ? s as PoolType
      : Object.hasOwn(POOL_TYPE_ALIASES, s)
      ? POOL_TYPE_ALIASES[s]
      : undefined;
    if (canonical === undefined) {
      ctx.issues.push({ code: "custom", message: `unknown pool type`, input: s });
      return z.NEVER;
    }
    return canonical;
  }),
);

/** True for pools scoped to one guild. */
export function isGuildPool(type: PoolType): boolean {
  return GUILD_POOLS.has(type);
}
