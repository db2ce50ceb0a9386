// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Member } from "../../client/mod.ts";
import type { DashboardStore } from "../../lib/dashboard/dashboard_store.ts";
import { searchMembers } from "../../lib/dashboard/member_search.ts";
import type { NameLookup } from "../../lib/dashboard/name_directory.ts";
import { pure } from "../pure.tsx";

export interface AgentFilterProps {
  /** Searches go through the store: the members found join its member pool. */
  readonly store: DashboardStore;
  readonly guildId: string;
  readonly names: NameLookup;
  /** Changes when names arrive: the chosen agent's name may be among them. */
  readonly namesVersion: number;
  readonly agentId: string | null;
  readonly onChange: (agentId: string | null) => void;
}

const ID = /^[0-9]{15,20}$/;
/** Typing pauses this long before the member search is asked. */
const SEARCH_DELAY_MS = 250;

/**
 * Filters by agent: type a name (the guild's members are searched) or an
 * id and pick; a row's agent can be picked by clicking it too. A chosen
 * agent shows as a chip that clears the filter.
 *
 * An ARIA combobox: the arrow keys move through the matches (focus stays
 * in the box), Enter picks the one they are on, or the first, and Escape
 * closes the list.
 */
export const AgentFilter = pure(function AgentFilter(props: AgentFilterProps): VNode {
  const { store, guildId, agentId } = props;
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<readonly Member[]>([]);
  const [open, setOpen] = useState(false);
  /** The option the arrow keys are on; -1 for none. */
  const [active, setActive] = useState(-1);

  useEffect(() => {
    const text = query.trim();
    if (text === "" || ID.test(text)) {
      setMatches([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      void searchMembers(store, guildId, text, 8).then((found) => {
        if (current) setMatches(found ?? []);
      });
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, guildId, store]);

  const pick = (id: string) => {
    props.onChange(id);
    setQuery("");
    setMatches([]);
    setOpen(false);
    setActive(-1);
  };

  if (agentId !== null) {
    const name = props.names.member(agentId)?.name ?? agentId;
    return (
      <div class="agent-filter">
        <button
          type="button"
          class="field-button active"
          data-testid="agent-chip"
          data-agent-id={agentId}
          title="Show every agent"
          onClick={() => props.onChange(null)}
        >
          <span class="field-button-label">@{name}</span>
          <span aria-hidden="true">×</span>
          <span class="sr-only">clear the agent filter</span>
        </button>
      </div>
    );
  }

  const trimmed = query.trim();
  const byId = ID.test(trimmed);
  const options: Array<{ id: string; label: VNode }> = [
    ...(byId
      ? [{
        id: trimmed,
        label: (
          <>
            Agent id <code>{trimmed}</code>
          </>
        ),
      }]
      : []),
    ...matches.map((member) => ({
      id: member.id,
      label: (
        <>
          <strong>{member.nick ?? member.name}</strong>
          {member.nick && <span class="agent-option-sub">{member.name}</span>}
        </>
      ),
    })),
  ];
  const expanded = open && options.length > 0;
  const current = expanded ? Math.min(active, options.length - 1) : -1;
  const optionId = (index: number) => `agent-option-${index}`;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      if (options.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => (Math.max(index, -1) + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      const chosen = options[current] ?? options[0];
      if (chosen !== undefined) {
        event.preventDefault();
        pick(chosen.id);
      }
    } else if (event.key === "Escape" && expanded) {
      event.preventDefault();
      setOpen(false);
    }
  };

  return (
    <div class="agent-filter">
      <label class="sr-only" for="agent-filter-input">Agent</label>
      <input
        id="agent-filter-input"
        class="field-input"
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls="agent-options"
        aria-activedescendant={current >= 0 ? optionId(current) : undefined}
        placeholder="Agent name or id"
        autoComplete="off"
        value={query}
        data-testid="filter-agent"
        onInput={(event) => {
          setQuery((event.currentTarget as HTMLInputElement).value);
          setActive(-1);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <ul
        id="agent-options"
        class="agent-menu"
        role="listbox"
        aria-label="Matching members"
        hidden={!expanded}
      >
        {options.map((option, index) => (
          <li
            key={option.id}
            id={optionId(index)}
            role="option"
            aria-selected={index === current}
            class={index === current ? "agent-option active" : "agent-option"}
            data-agent-id={option.id}
            // Before the input's blur closes the list.
            onMouseDown={(event) => {
              event.preventDefault();
              pick(option.id);
            }}
          >
            {option.label}
          </li>
        ))}
      </ul>
    </div>
  );
});
