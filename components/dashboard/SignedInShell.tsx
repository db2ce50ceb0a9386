// This module is browser-compatible.
import type { VNode } from "preact";
import type { GatewayClient } from "../../client/mod.ts";
import type { GuildTab } from "../../lib/dashboard/guild_tabs.ts";
import { useGuildList } from "../../lib/dashboard/use_guild_list.ts";
import type { ConnectionStatus } from "../../lib/use_gateway.ts";
import { ConnectionBadge } from "../ConnectionBadge.tsx";
import { type GuildRef, GuildSidebar } from "./GuildSidebar.tsx";
import { GuildView } from "./GuildView.tsx";

export interface SignedInShellProps {
  readonly client: GatewayClient;
  readonly status: ConnectionStatus;
  readonly userId: string;
  /** The user's name when the page knows it (the development sign-in); else asked for. */
  readonly knownName: string | null;
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
  readonly tab: GuildTab;
  readonly onTab: (tab: GuildTab) => void;
  readonly quickGuilds: readonly GuildRef[];
  readonly signOutAction: string | null;
  readonly botChannel: boolean;
  readonly avatarCdn: string | null;
}

/** The signed-in dashboard: the guild list, and the chosen guild's views. */
export function SignedInShell(props: SignedInShellProps): VNode {
  const { selected } = props;
  const list = useGuildList(props.userId, props.knownName);
  const guild: GuildRef | null = selected === null ? null : (
    list.guilds?.find((candidate) => candidate.id === selected) ??
      props.quickGuilds.find((candidate) => candidate.id === selected) ??
      { id: selected, name: `Server ${selected}` }
  );
  return (
    <div class="dash-shell">
      <GuildSidebar
        guilds={list.guilds}
        withoutArchitus={list.withoutArchitus}
        error={list.error}
        selected={selected}
        onSelect={props.onSelect}
        quickGuilds={props.quickGuilds}
        account={{ id: props.userId, name: list.userName ?? props.userId }}
        signOutAction={props.signOutAction}
      />
      <div class="dash-main">
        {guild === null
          ? (
            <section class="dash-empty" data-testid="pick-guild">
              <ConnectionBadge status={props.status} />
              <h2>Pick a server</h2>
              <p>
                Pick a server to watch it live: its log, auto responses, members, channels and
                roles, and settings, as they change.
              </p>
            </section>
          )
          : (
            <GuildView
              key={guild.id}
              client={props.client}
              guild={guild}
              status={props.status}
              tab={props.tab}
              onTab={props.onTab}
              botChannel={props.botChannel}
              avatarCdn={props.avatarCdn}
            />
          )}
      </div>
    </div>
  );
}
