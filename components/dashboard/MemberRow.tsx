// This module is browser-compatible.
import type { VNode } from "preact";
import type { Member, Role } from "../../client/mod.ts";
import { readableColor } from "../../lib/contrast.ts";
import { initialsOf, tintOf } from "../../lib/dashboard/guild_icon.ts";
import { avatarUrl, displayName } from "../../lib/dashboard/member_list.ts";
import { safeColor } from "../../lib/dashboard/name_directory.ts";
import { pure } from "../pure.tsx";

const STATUS: Readonly<Record<string, string>> = {
  online: "online",
  idle: "idle",
  dnd: "do not disturb",
  offline: "offline",
};

/** How many of a member's roles show as pills; the rest are counted. */
const PILLS = 2;

export interface MemberRowProps {
  readonly member: Member;
  /** The guild's roles by id, for the pills (highest first). */
  readonly roles: Readonly<Record<string, Role>>;
  readonly avatarCdn: string | null;
  readonly fresh: boolean;
}

/** One member as Discord's list shows them: avatar with status, name in the role colour, roles. */
export const MemberRow = pure(function MemberRow(props: MemberRowProps): VNode {
  const { member, roles } = props;
  const name = displayName(member);
  const color = safeColor(member.color);
  const status = member.status ?? "offline";
  const avatar = avatarUrl(props.avatarCdn, member);
  const held = member.roles.map((id) => roles[id]).filter((role): role is Role =>
    role !== undefined
  ).sort((a, b) => b.position - a.position);
  return (
    <div class={props.fresh ? "member entity-row-fresh" : "member"}>
      <span class="member-avatar" aria-hidden="true">
        {avatar === null
          ? (
            <span class={`avatar-initial ${tintOf(member.id)}`}>
              {initialsOf(name.replace(/[^\p{L}\p{N}\s]/gu, ""))}
            </span>
          )
          : <img src={avatar} alt="" width={32} height={32} loading="lazy" decoding="async" />}
        <span class={`status-dot status-${status}`} />
      </span>
      <span class="member-text">
        <span
          class="member-name"
          style={color === undefined ? undefined : { color: readableColor(color) }}
        >
          {name}
        </span>
        <span class="member-sub">
          <span class="sr-only">, {STATUS[status] ?? status}</span>
          {member.nick ? <span class="member-username">{member.name}</span> : null}
        </span>
      </span>
      <span class="member-roles">
        {held.slice(0, PILLS).map((role) => {
          const roleColor = safeColor(role.color);
          return (
            <span class="role-pill" key={role.id}>
              <span
                class="role-dot"
                aria-hidden="true"
                style={roleColor === undefined ? undefined : { background: roleColor }}
              />
              {role.name}
            </span>
          );
        })}
        {held.length > PILLS && <span class="role-more">+{held.length - PILLS}</span>}
      </span>
    </div>
  );
});
