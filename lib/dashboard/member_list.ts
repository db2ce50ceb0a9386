// This module is browser-compatible.
import type { Member } from "../../client/mod.ts";
import { compareNatural } from "../natural_order.ts";

/** The name Discord shows in a guild: the nick, else the username. */
export function displayName(member: Member): string {
  return member.nick ?? member.name;
}

/** Online, idle and do-not-disturb count as online, as in Discord's member list. */
export function isOnline(member: Member): boolean {
  return member.status !== undefined && member.status !== "offline";
}

/**
 * The member's avatar on Discord's CDN (animated ones as GIF), or null
 * without a hash or a CDN.
 */
export function avatarUrl(cdn: string | null, member: Member, size = 64): string | null {
  const hash = member.avatar;
  if (cdn === null || !hash || !/^(a_)?[0-9a-f]{32}$/.test(hash)) return null;
  const ext = hash.startsWith("a_") ? "gif" : "webp";
  return `${cdn}/avatars/${member.id}/${hash}.${ext}?size=${size}`;
}

export interface MemberFilter {
  readonly onlineOnly: boolean;
  /** Only members holding this role; null for all. */
  readonly roleId: string | null;
}

export const NO_MEMBER_FILTER: MemberFilter = { onlineOnly: false, roleId: null };

/** One line of the member list: a group's heading, or a member. */
export type MemberLine =
  | { readonly kind: "group"; readonly key: string; readonly label: string; readonly count: number }
  | {
    readonly kind: "member";
    readonly key: string;
    readonly member: Member;
    readonly position: number;
  };

function byName(a: Member, b: Member): number {
  return compareNatural(displayName(a), displayName(b)) || (a.id < b.id ? -1 : 1);
}

/**
 * The member list as Discord draws it: "Online" then "Offline", each by
 * name, with the filter applied. `offlineKnown` is false while only the
 * online members are loaded: the offline group is left out.
 */
export function memberLines(
  members: Iterable<Member>,
  filter: MemberFilter,
  offlineKnown: boolean,
): MemberLine[] {
  const online: Member[] = [];
  const offline: Member[] = [];
  for (const member of members) {
    if (filter.roleId !== null && !member.roles.includes(filter.roleId)) continue;
    if (isOnline(member)) online.push(member);
    else if (!filter.onlineOnly && offlineKnown) offline.push(member);
  }
  online.sort(byName);
  offline.sort(byName);
  const lines: MemberLine[] = [];
  let position = 0;
  const group = (key: string, label: string, list: Member[]) => {
    lines.push({ kind: "group", key, label, count: list.length });
    for (const member of list) {
      lines.push({ kind: "member", key: member.id, member, position: ++position });
    }
  };
  group("online", "Online", online);
  if (offline.length > 0) group("offline", "Offline", offline);
  return lines;
}

/** Members found by a search, in the list's order, with the filter applied. */
export function searchLines(found: Iterable<Member>, filter: MemberFilter): MemberLine[] {
  const members = [...found].filter((member) =>
    (filter.roleId === null || member.roles.includes(filter.roleId)) &&
    (!filter.onlineOnly || isOnline(member))
  ).sort(byName);
  return [
    { kind: "group", key: "found", label: "Found", count: members.length },
    ...members.map((member, index): MemberLine => ({
      kind: "member",
      key: member.id,
      member,
      position: index + 1,
    })),
  ];
}
