// This module is browser-compatible.
import type { VNode } from "preact";
import { useRef } from "preact/hooks";
import { GUILD_TABS, type GuildTab, tabAfter } from "../../lib/dashboard/guild_tabs.ts";

export interface GuildTabsProps {
  readonly guildName: string;
  readonly selected: GuildTab;
  readonly onSelect: (tab: GuildTab) => void;
}

/** The id of a tab's panel, for `aria-controls`. */
export function panelId(tab: GuildTab): string {
  return `guild-panel-${tab}`;
}

export function tabId(tab: GuildTab): string {
  return `guild-tab-${tab}`;
}

/**
 * The guild's views as an ARIA tab list: one tab stop (the selected tab),
 * the arrow keys, Home and End move between tabs and open them.
 */
export function GuildTabs({ guildName, selected, onSelect }: GuildTabsProps): VNode {
  const list = useRef<HTMLDivElement>(null);
  const move = (tab: GuildTab) => {
    onSelect(tab);
    list.current?.querySelector<HTMLElement>(`#${tabId(tab)}`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const last = GUILD_TABS[GUILD_TABS.length - 1]?.id ?? selected;
    const target = event.key === "ArrowRight"
      ? tabAfter(selected, 1)
      : event.key === "ArrowLeft"
      ? tabAfter(selected, -1)
      : event.key === "Home"
      ? GUILD_TABS[0].id
      : event.key === "End"
      ? last
      : null;
    if (target === null) return;
    event.preventDefault();
    move(target);
  };
  return (
    <div
      class="guild-tabs"
      role="tablist"
      aria-label={`Views of ${guildName}`}
      ref={list}
      onKeyDown={onKeyDown}
      data-testid="guild-tabs"
    >
      {GUILD_TABS.map((tab) => (
        <button
          type="button"
          key={tab.id}
          id={tabId(tab.id)}
          class="guild-tab"
          role="tab"
          aria-selected={tab.id === selected}
          aria-controls={panelId(tab.id)}
          tabIndex={tab.id === selected ? 0 : -1}
          data-tab={tab.id}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
