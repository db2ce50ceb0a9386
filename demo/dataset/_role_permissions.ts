import { ArchitusPermission, DEFAULT_ARCHITUS_PERMISSIONS } from "../../gateway/protocol/mod.ts";

/**
 * The permission sets the demo guilds hand out: Discord bitfields for their
 * roles, Architus bits for some of their members.
 */

/** Discord permission bits used to build realistic role bitfields. */
export const Perm = {
  CREATE_INSTANT_INVITE: 0x1,
  KICK_MEMBERS: 0x2,
  BAN_MEMBERS: 0x4,
  ADMINISTRATOR: 0x8,
  MANAGE_CHANNELS: 0x10,
  MANAGE_GUILD: 0x20,
  ADD_REACTIONS: 0x40,
  VIEW_AUDIT_LOG: 0x80,
  PRIORITY_SPEAKER: 0x100,
  STREAM: 0x200,
  VIEW_CHANNEL: 0x400,
  SEND_MESSAGES: 0x800,
  MANAGE_MESSAGES: 0x2000,
  EMBED_LINKS: 0x4000,
  ATTACH_FILES: 0x8000,
  READ_MESSAGE_HISTORY: 0x10000,
  MENTION_EVERYONE: 0x20000,
  USE_EXTERNAL_EMOJIS: 0x40000,
  CONNECT: 0x100000,
  SPEAK: 0x200000,
  MUTE_MEMBERS: 0x400000,
  MOVE_MEMBERS: 0x1000000,
  CHANGE_NICKNAME: 0x4000000,
  MANAGE_NICKNAMES: 0x8000000,
  MANAGE_ROLES: 0x10000000,
  MANAGE_EMOJIS: 0x40000000,
} as const;

export const MEMBER_PERMS = Perm.CREATE_INSTANT_INVITE | Perm.ADD_REACTIONS | Perm.STREAM |
  Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES | Perm.EMBED_LINKS | Perm.ATTACH_FILES |
  Perm.READ_MESSAGE_HISTORY | Perm.USE_EXTERNAL_EMOJIS | Perm.CONNECT | Perm.SPEAK |
  Perm.CHANGE_NICKNAME;
export const MODERATOR_PERMS = MEMBER_PERMS | Perm.KICK_MEMBERS | Perm.BAN_MEMBERS |
  Perm.MANAGE_GUILD |
  Perm.VIEW_AUDIT_LOG | Perm.MANAGE_MESSAGES | Perm.MENTION_EVERYONE | Perm.MUTE_MEMBERS |
  Perm.MOVE_MEMBERS | Perm.MANAGE_NICKNAMES | Perm.MANAGE_EMOJIS;
export const HELPER_PERMS = MEMBER_PERMS | Perm.MANAGE_MESSAGES | Perm.MUTE_MEMBERS |
  Perm.MANAGE_NICKNAMES;
export const ADMIN_PERMS = Perm.ADMINISTRATOR;
/** What the Architus invite link asks for. */
export const BOT_PERMS = 2134207679;
export const DJ_PERMS = MEMBER_PERMS | Perm.PRIORITY_SPEAKER | Perm.MOVE_MEMBERS;

/**
 * Architus bits of moderators: the default plus editing and deleting anyone's
 * auto responses. Private logs stay with Architus admins, so the Discord
 * admin tier differs visibly from the Architus admin one in the demo.
 */
export const MODERATOR_ARCHITUS = DEFAULT_ARCHITUS_PERMISSIONS |
  ArchitusPermission.EDIT_ANY_AUTO_RESPONSE | ArchitusPermission.DELETE_ANY_AUTO_RESPONSE;
/** Architus bits of muted members: public logs only. */
export const MUTED_ARCHITUS = ArchitusPermission.VIEW_PUBLIC_LOGS;
/** The demo member's bits: public logs and adding responses, no settings. */
export const PLAIN_MEMBER_ARCHITUS = ArchitusPermission.VIEW_PUBLIC_LOGS |
  ArchitusPermission.ADD_AUTO_RESPONSE;
