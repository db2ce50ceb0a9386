import {
  type AutoResponse,
  type Channel,
  type CustomEmoji,
  DEFAULT_ARCHITUS_PERMISSIONS,
  DiscordPermission,
  type Member,
  type Membership,
  type Role,
  type SettingValue,
} from "../gateway/protocol/mod.ts";
import type { DemoGuild } from "./dataset/demo_guild.ts";

/** A guild's pools as mutable maps, in insertion order, keyed by entity id. */
interface GuildPools {
  readonly member: Map<string, Member>;
  readonly channel: Map<string, Channel>;
  readonly role: Map<string, Role>;
  readonly customEmoji: Map<string, CustomEmoji>;
  readonly auto_response: Map<string, AutoResponse>;
  readonly setting_value: Map<string, SettingValue>;
}

/** The live state of one demo guild: its seed data, then whatever changed since. */
export class GuildState {
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
  readonly ownerId: string;
  readonly adminIds: ReadonlySet<string>;
  readonly pools: GuildPools;
  readonly architusPermissions: Map<string, number>;

  constructor(seed: DemoGuild) {
    this.id = seed.id;
    this.name = seed.name;
    this.icon = seed.icon;
    this.ownerId = seed.ownerId;
    this.adminIds = new Set(seed.adminIds);
    const byId = <T extends { id: string }>(list: readonly T[]) =>
      new Map(list.map((e) => [e.id, structuredClone(e)]));
    this.pools = {
      member: byId(seed.members),
      channel: byId(seed.channels),
      role: byId(seed.roles),
      customEmoji: byId(seed.emojis),
      auto_response: byId(seed.autoResponses),
      setting_value: byId(seed.settings),
    };
    this.architusPermissions = new Map(seed.architusPermissions);
  }

  /**
   * What the shard's `is_member` says of `userId` here: Architus admin for
   * the owner, the configured admins and Discord administrators.
   */
  membership(userId: string): Membership {
    const member = this.pools.member.get(userId);
    if (member === undefined) return { member: false, admin: false, permissions: 0 };
    const permissions = this.discordPermissionsOf(member);
    const admin = this.ownerId === userId || this.adminIds.has(userId) ||
      (permissions & DiscordPermission.ADMINISTRATOR) !== 0;
    return {
      member: true,
      admin,
      permissions,
      architus_permissions: this.architusPermissions.get(userId) ?? DEFAULT_ARCHITUS_PERMISSIONS,
    };
  }

  /** The @everyone role's Discord bits plus those of every role the member holds. */
  discordPermissionsOf(member: Member): number {
    let bits = this.pools.role.get(this.id)?.permissions ?? 0;
    for (const roleId of member.roles) bits |= this.pools.role.get(roleId)?.permissions ?? 0;
    return bits;
  }
}
