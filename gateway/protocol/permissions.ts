// This module is browser-compatible.

/** Architus permission bits (the original `lib/python-common/permissions.py`). */
export const ArchitusPermission = {
  ADMINISTRATOR: 0x0001,
  VIEW_PUBLIC_LOGS: 0x0002,
  VIEW_PRIVATE_LOGS: 0x0004,
  REVERT_LOG_ACTIONS: 0x0008,
  ADD_AUTO_RESPONSE: 0x0010,
  IGNORE_AUTO_RESPONSE_QUOTA: 0x0020,
  EDIT_ANY_AUTO_RESPONSE: 0x0040,
  DELETE_ANY_AUTO_RESPONSE: 0x0080,
  VIEW_SETTINGS: 0x0100,
  MANAGE_SETTINGS: 0x0200,
  EXEC_PURGE_CMD: 0x0400,
} as const;

/** Every Architus bit at once: what Architus admins and staff hold. */
export const ALL_ARCHITUS_PERMISSIONS = 0x07ff;

/** The Architus default set: VIEW_PUBLIC_LOGS | ADD_AUTO_RESPONSE | VIEW_SETTINGS. */
export const DEFAULT_ARCHITUS_PERMISSIONS = 0x0112;

/** Discord permission bits the gateway looks at. */
export const DiscordPermission = {
  ADMINISTRATOR: 0x8,
  MANAGE_GUILD: 0x20,
} as const;

/** The tiers a connection can hold for one guild, most powerful first. */
export type Tier =
  | "architus_staff"
  | "architus_admin"
  | "discord_admin"
  | "member"
  | "non_member"
  | "anonymous";

/** What a backend says of a user in a guild (`is_member` of the shard RPC). */
export interface Membership {
  readonly member: boolean;
  /** Architus admin of the guild: owner, ADMINISTRATOR role, or the guild's admin list. */
  readonly admin: boolean;
  /** The member's Discord permission bitfield in the guild. */
  readonly permissions: number;
  /** The member's Architus permission bits, when the backend knows them. */
  readonly architus_permissions?: number | undefined;
}

/** The effective standing of one user in one guild. */
export interface Access {
  readonly tier: Tier;
  /** Architus permission bits in force. */
  readonly permissions: number;
}

/**
 * Decides the tier and Architus bits of a user in a guild. Staff and Architus
 * admins hold every bit; Discord admins (MANAGE_GUILD or ADMINISTRATOR) gain
 * the settings bits on top of their own; a plain member holds what the
 * backend reports, or the Architus default.
 */
export function accessFor(membership: Membership | null, options: { staff: boolean }): Access {
  if (options.staff) return { tier: "architus_staff", permissions: ALL_ARCHITUS_PERMISSIONS };
  if (membership === null || !membership.member) return { tier: "non_member", permissions: 0 };
  if (membership.admin) return { tier: "architus_admin", permissions: ALL_ARCHITUS_PERMISSIONS };
  const own = membership.architus_permissions ?? DEFAULT_ARCHITUS_PERMISSIONS;
  const discordAdmin = (membership.permissions &
    (DiscordPermission.MANAGE_GUILD | DiscordPermission.ADMINISTRATOR)) !== 0;
  if (discordAdmin) {
    return {
      tier: "discord_admin",
      permissions: own | ArchitusPermission.VIEW_PUBLIC_LOGS | ArchitusPermission.VIEW_SETTINGS |
        ArchitusPermission.MANAGE_SETTINGS,
    };
  }
  return { tier: "member", permissions: own };
}

/** True when every bit of `needed` is set in `held`. */
export function hasPermission(held: number, needed: number): boolean {
  return (held & needed) === needed;
}
