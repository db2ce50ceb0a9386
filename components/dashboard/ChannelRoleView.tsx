// This module is browser-compatible.
import type { VNode } from "preact";
import { useMemo } from "preact/hooks";
import type { Channel, Role } from "../../client/mod.ts";
import { useLiveChanges } from "../../lib/dashboard/use_live_changes.ts";
import { channelGroups, rolesInOrder } from "../../lib/dashboard/channel_order.ts";
import { safeColor } from "../../lib/dashboard/name_directory.ts";
import { usePool } from "../../lib/dashboard/use_pool.ts";
import { readableColor } from "../../lib/contrast.ts";
import { ViewHeader, ViewProblem } from "./ViewHeader.tsx";
import { formatCount } from "../../lib/format_count.ts";

const KIND_MARK: Readonly<Record<string, string>> = { category: "▾", text: "#", voice: "🔊" };

function ChannelList(
  { channels, fresh }: { channels: readonly Channel[]; fresh: ReadonlySet<string> },
) {
  const groups = channelGroups(channels);
  return (
    <div class="cr-column" data-testid="channel-list">
      <h3 class="cr-title">
        Channels <span class="view-count">{channels.length}</span>
      </h3>
      {groups.map((group) => (
        <section key={group.kind} class="cr-group" aria-label={group.label}>
          <h4 class="cr-group-title">{group.label}</h4>
          <ol class="cr-list">
            {group.channels.map((channel) => (
              <li
                key={channel.id}
                class={fresh.has(channel.id) ? "cr-item entity-row-fresh" : "cr-item"}
                data-testid="channel"
                data-id={channel.id}
                data-kind={channel.type ?? "text"}
              >
                <span class="cr-mark" aria-hidden="true">{KIND_MARK[channel.type ?? "text"]}</span>
                <span class="cr-name">{channel.name}</span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

function RoleList({ roles, fresh }: { roles: readonly Role[]; fresh: ReadonlySet<string> }) {
  return (
    <div class="cr-column" data-testid="role-list">
      <h3 class="cr-title">
        Roles <span class="view-count">{roles.length}</span>
      </h3>
      <ol class="cr-list">
        {rolesInOrder(roles).map((role) => {
          const color = safeColor(role.color);
          const everyone = role.name === "@everyone";
          return (
            <li
              key={role.id}
              class={fresh.has(role.id) ? "cr-item entity-row-fresh" : "cr-item"}
              data-testid="role"
              data-id={role.id}
            >
              <span
                class="role-swatch"
                aria-hidden="true"
                style={color === undefined ? undefined : { background: color }}
              />
              <span
                class="cr-name"
                style={color === undefined ? undefined : { color: readableColor(color) }}
              >
                {role.name}
              </span>
              <span class="cr-meta">
                {everyone
                  ? "everyone"
                  : `${formatCount(role.members.length)} ${
                    role.members.length === 1 ? "member" : "members"
                  }`}
                {role.hoist && " · shown apart"}
                {role.managed && " · managed"}
                {role.mentionable && " · mentionable"}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/**
 * The guild's channels (by kind, in Discord's order) and roles (highest
 * first, with their colours and member counts), read only, kept live by
 * `log_pool` pushes through the store.
 */
export function ChannelRoleView(
  { guildId, guildName }: { guildId: string; guildName: string },
): VNode {
  const channels = usePool("channel", guildId);
  const roles = usePool("role", guildId);
  const ready = channels.slice.fullyPopulated && roles.slice.fullyPopulated;
  const freshChannels = useLiveChanges("channel", guildId);
  const freshRoles = useLiveChanges("role", guildId);
  const channelList = useMemo(() => Object.values(channels.slice.entities), [
    channels.slice.entities,
  ]);
  const roleList = useMemo(() => Object.values(roles.slice.entities), [roles.slice.entities]);
  const failure = channels.failure ?? roles.failure;
  return (
    <section
      class="entity-view channels-roles"
      aria-labelledby="channels-roles-title"
      data-testid="channel-role-view"
      data-guild-id={guildId}
      data-ready={ready ? "true" : "false"}
    >
      <ViewHeader id="channels-roles-title" title="Channels & roles" count={guildName} />
      {failure !== null && <ViewProblem text={`Could not load them: ${failure.human}`} />}
      {!ready && failure === null && <p class="entity-empty" role="status">Loading…</p>}
      {ready && (
        <div
          class="entity-scroll cr-columns"
          tabIndex={0}
          aria-label={`Channels and roles of ${guildName}`}
        >
          <ChannelList channels={channelList} fresh={freshChannels} />
          <RoleList roles={roleList} fresh={freshRoles} />
        </div>
      )}
    </section>
  );
}
