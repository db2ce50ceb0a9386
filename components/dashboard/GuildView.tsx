// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect } from "preact/hooks";
import { type GatewayClient, gatewayForgetPools } from "../../client/mod.ts";
import { GUILD_TABS, type GuildTab } from "../../lib/dashboard/guild_tabs.ts";
import { useDashboardStore } from "../../lib/dashboard/use_store.ts";
import type { ConnectionStatus } from "../../lib/use_gateway.ts";
import { AutoResponseView } from "./AutoResponseView.tsx";
import { BotChannelPanel } from "./BotChannelPanel.tsx";
import { ChannelRoleView } from "./ChannelRoleView.tsx";
import type { GuildRef } from "./GuildSidebar.tsx";
import { GuildTabs, panelId, tabId } from "./GuildTabs.tsx";
import { LogViewer } from "./LogViewer.tsx";
import { MemberView } from "./MemberView.tsx";
import { SettingsView } from "./SettingsView.tsx";

export interface GuildViewProps {
  readonly client: GatewayClient;
  readonly guild: GuildRef;
  readonly status: ConnectionStatus;
  readonly tab: GuildTab;
  readonly onTab: (tab: GuildTab) => void;
  /** Development: offer the demo bot's channel for this guild. */
  readonly botChannel: boolean;
  readonly avatarCdn: string | null;
}

function EntityView(
  { tab, guild, avatarCdn }: { tab: GuildTab; guild: GuildRef; avatarCdn: string | null },
): VNode | null {
  const props = { guildId: guild.id, guildName: guild.name };
  switch (tab) {
    case "auto-responses":
      return <AutoResponseView {...props} />;
    case "members":
      return <MemberView {...props} avatarCdn={avatarCdn} />;
    case "channels-roles":
      return <ChannelRoleView {...props} />;
    case "settings":
      return <SettingsView {...props} />;
    case "log":
      return null;
  }
}

/**
 * One watched guild: its views as tabs (the log, and the entity views the
 * log's spectate keeps live), and in development the bot channel. Rendered
 * per guild (keyed by its id): switching guild drops every view and the
 * store's pools of the guild left, so nothing of it can show in the next.
 * The log stays mounted behind the other tabs, so its stream (and the
 * spectate the entity views' pushes come by) goes on.
 */
export function GuildView(props: GuildViewProps): VNode {
  const { guild, tab } = props;
  const store = useDashboardStore();
  useEffect(() => () => void store.dispatch(gatewayForgetPools(guild.id)), [store, guild.id]);
  return (
    <div class="guild-view" data-testid="guild-view" data-guild-id={guild.id} data-tab={tab}>
      <GuildTabs guildName={guild.name} selected={tab} onSelect={props.onTab} />
      <div class="guild-panels">
        {GUILD_TABS.map(({ id }) => (
          <div
            key={id}
            id={panelId(id)}
            class="guild-panel"
            role="tabpanel"
            aria-labelledby={tabId(id)}
            hidden={id !== tab}
          >
            {id === "log"
              ? (
                <LogViewer
                  client={props.client}
                  store={store}
                  guild={guild}
                  status={props.status}
                />
              )
              : id === tab
              ? <EntityView tab={id} guild={guild} avatarCdn={props.avatarCdn} />
              : null}
          </div>
        ))}
      </div>
      {props.botChannel && <BotChannelPanel guildId={guild.id} guildName={guild.name} />}
    </div>
  );
}
