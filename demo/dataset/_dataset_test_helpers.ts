import assert from "node:assert/strict";
import {
  DEFAULT_ARCHITUS_PERMISSIONS,
  DiscordPermission,
  type Membership,
  type Role,
} from "../../gateway/protocol/mod.ts";
import { createDemoDataset, type DemoDataset } from "./dataset.ts";
import type { DemoGuild } from "./demo_guild.ts";

/** The default dataset, built once for every dataset test. */
export const dataset: DemoDataset = createDemoDataset();

export function guildNamed(data: DemoDataset, name: string): DemoGuild {
  const guild = data.guilds.find((g) => g.name === name);
  assert.ok(guild, `no guild named ${name}`);
  return guild;
}

export const demo: DemoGuild = guildNamed(dataset, "Architus Demo");
export const big: DemoGuild = guildNamed(dataset, "Big Guild");
export const gaming: DemoGuild = guildNamed(dataset, "Gaming Lounge");
export const study: DemoGuild = guildNamed(dataset, "Study Hall");

export function isMember(guild: DemoGuild, userId: string): boolean {
  return guild.members.some((m) => m.id === userId);
}

export function rolesOf(guild: DemoGuild, userId: string): Role[] {
  return guild.roles.filter((r) => r.members.includes(userId));
}

/** What a backend would report for `userId` in `guild`, derived from the dataset alone. */
export function membership(guild: DemoGuild, userId: string): Membership | null {
  if (!isMember(guild, userId)) return null;
  const permissions = rolesOf(guild, userId).reduce((bits, r) => bits | (r.permissions ?? 0), 0);
  const admin = guild.ownerId === userId || guild.adminIds.includes(userId) ||
    (permissions & DiscordPermission.ADMINISTRATOR) !== 0;
  return {
    member: true,
    admin,
    permissions,
    architus_permissions: guild.architusPermissions.get(userId) ?? DEFAULT_ARCHITUS_PERMISSIONS,
  };
}

export function serialise(data: DemoDataset): string {
  return JSON.stringify({
    guilds: data.guilds.map((g) => ({
      ...g,
      architusPermissions: [...g.architusPermissions],
    })),
    users: [...data.users],
    demoUsers: data.demoUsers,
  });
}
