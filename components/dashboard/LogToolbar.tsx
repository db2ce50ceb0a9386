// This module is browser-compatible.
import type { VNode } from "preact";
import type { DashboardStore } from "../../lib/dashboard/dashboard_store.ts";
import { isFiltering, type LogViewFilter } from "../../lib/dashboard/log_store.ts";
import type { NameLookup } from "../../lib/dashboard/name_directory.ts";
import { pure } from "../pure.tsx";
import { AgentFilter } from "./AgentFilter.tsx";
import { TypeFilter } from "./TypeFilter.tsx";

export interface LogToolbarProps {
  /** Agent searches go through the store. */
  readonly store: DashboardStore;
  readonly guildId: string;
  readonly names: NameLookup;
  /** Changes when names arrive: the chosen agent's name may be among them. */
  readonly namesVersion: number;
  /** The search box as typed (the filter takes it after a pause). */
  readonly text: string;
  /** The filter in force. */
  readonly filter: LogViewFilter;
  /** Whether the gateway sends this user private events. */
  readonly privateAllowed: boolean;
  readonly paused: boolean;
  readonly onText: (text: string) => void;
  readonly onFilter: (change: (current: LogViewFilter) => LogViewFilter) => void;
  readonly onClear: () => void;
  readonly onPause: () => void;
  readonly onResume: () => void;
}

/**
 * The log viewer's controls: search, agent, types, private events, pause.
 * Drawn again only when one of them changes, not with every batch of
 * events the viewer draws.
 */
export const LogToolbar = pure(function LogToolbar(props: LogToolbarProps): VNode {
  const { filter, privateAllowed, paused, onFilter } = props;
  return (
    <div class="log-toolbar" role="search">
      <label class="sr-only" for="log-search">Search content</label>
      <input
        id="log-search"
        class="field-input log-search"
        type="search"
        placeholder="Search content"
        value={props.text}
        maxLength={200}
        data-testid="filter-text"
        onInput={(event) => props.onText((event.currentTarget as HTMLInputElement).value)}
      />
      <AgentFilter
        store={props.store}
        guildId={props.guildId}
        names={props.names}
        namesVersion={props.namesVersion}
        agentId={filter.agentId}
        onChange={(agentId) => onFilter((current) => ({ ...current, agentId }))}
      />
      <TypeFilter
        selected={filter.types}
        onChange={(types) => onFilter((current) => ({ ...current, types }))}
      />
      {/* Kept in place, invisible, until the gateway says private events come: no reflow. */}
      <label
        class={privateAllowed ? "toggle" : "toggle toggle-unavailable"}
        data-testid="private-toggle"
      >
        <input
          type="checkbox"
          disabled={!privateAllowed}
          checked={!filter.hidePrivate}
          onChange={(event) => {
            const show = (event.currentTarget as HTMLInputElement).checked;
            onFilter((current) => ({ ...current, hidePrivate: !show }));
          }}
        />
        <span>🔒 Private</span>
      </label>
      {isFiltering(filter) && (
        <button type="button" class="button-link" onClick={props.onClear}>
          Clear filters
        </button>
      )}
      <button
        type="button"
        class={paused ? "field-button pause active" : "field-button pause"}
        aria-pressed={paused}
        data-testid="pause"
        onClick={paused ? props.onResume : props.onPause}
      >
        {paused ? "▶ Resume" : "❚❚ Pause"}
      </button>
    </div>
  );
});
