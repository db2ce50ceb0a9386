// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { GatewayClient, Member, PoolCache } from "../../client/mod.ts";
import type { NameLookup } from "../../lib/dashboard/name_directory.ts";

export interface AgentFilterProps {
  readonly client: GatewayClient;
  readonly cache: PoolCache;
  readonly guildId: string;
  readonly names: NameLookup;
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
 */
export function AgentFilter(props: AgentFilterProps): VNode {
  const { client, cache, guildId, agentId } = props;
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<readonly Member[]>([]);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const text = query.trim();
    if (text === "" || ID.test(text)) {
      setMatches([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      client.request("pool_search", {
        type: "member",
        guild_id: guildId,
        query: text.slice(0, 100),
        limit: 8,
      }, { signal: controller.signal }).then((result) => {
        cache.load("member", guildId, result.data);
        setMatches(result.data as Member[]);
      }).catch(() => setMatches([]));
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, guildId, client, cache]);

  const pick = (id: string) => {
    props.onChange(id);
    setQuery("");
    setMatches([]);
    setOpen(false);
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
  return (
    <div class="agent-filter">
      <label class="sr-only" for="agent-filter-input">Agent</label>
      <input
        id="agent-filter-input"
        class="field-input"
        type="search"
        placeholder="Agent name or id"
        autoComplete="off"
        value={query}
        data-testid="filter-agent"
        onInput={(event) => {
          setQuery((event.currentTarget as HTMLInputElement).value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(event) => {
          if (event.key !== "Enter") return;
          if (ID.test(trimmed)) pick(trimmed);
          else if (matches[0] !== undefined) pick(matches[0].id);
        }}
      />
      {open && (matches.length > 0 || ID.test(trimmed)) && (
        <ul class="agent-menu" role="listbox" aria-label="Matching members">
          {ID.test(trimmed) && (
            <li>
              <button
                type="button"
                class="agent-option"
                onMouseDown={() => pick(trimmed)}
              >
                Agent id <code>{trimmed}</code>
              </button>
            </li>
          )}
          {matches.map((member) => (
            <li key={member.id}>
              <button
                type="button"
                class="agent-option"
                data-agent-id={member.id}
                onMouseDown={() => pick(member.id)}
              >
                <strong>{member.nick ?? member.name}</strong>
                {member.nick && <span class="agent-option-sub">{member.name}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
