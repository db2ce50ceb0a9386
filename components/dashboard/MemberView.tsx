// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Member, Role } from "../../client/mod.ts";
import { useLiveChanges } from "../../lib/dashboard/use_live_changes.ts";
import { rolesInOrder } from "../../lib/dashboard/channel_order.ts";
import {
  displayName,
  type MemberFilter,
  memberLines,
  NO_MEMBER_FILTER,
  searchLines,
} from "../../lib/dashboard/member_list.ts";
import { searchMembers } from "../../lib/dashboard/member_search.ts";
import { useAnnouncer } from "../../lib/dashboard/use_announcer.ts";
import { usePool } from "../../lib/dashboard/use_pool.ts";
import { useDashboardStore } from "../../lib/dashboard/use_store.ts";
import { MemberRow } from "./MemberRow.tsx";
import { ViewAnnouncer, ViewHeader, ViewProblem } from "./ViewHeader.tsx";
import { formatCount } from "../../lib/format_count.ts";

/** Every line of the list is this tall (CSS `--member-line`), so only the visible ones are drawn. */
const LINE_PX = 44;
/** Lines drawn above and below the visible ones. */
const OVERSCAN = 8;
/** The rest of the pool is asked for when the end of the list is this close. */
const MORE_WITHIN_PX = 400;
const SEARCH_DELAY_MS = 300;
const SEARCH_LIMIT = 100;

interface Search {
  readonly query: string;
  /** Ids found, in the gateway's order; null while the search runs. */
  readonly ids: readonly string[] | null;
  readonly failed: boolean;
}

/** The member search: debounced, one `pool_search` per pause, late answers dropped. */
function useMemberSearch(guildId: string, text: string): Search | null {
  const store = useDashboardStore();
  const [search, setSearch] = useState<Search | null>(null);
  useEffect(() => {
    const query = text.trim();
    if (query === "") {
      setSearch(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setSearch({ query, ids: null, failed: false });
      void searchMembers(store, guildId, query, SEARCH_LIMIT).then((found) => {
        if (!current) return;
        setSearch({ query, ids: found?.map((member) => member.id) ?? [], failed: found === null });
      });
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [store, guildId, text]);
  return search;
}

/** The scroller's position and height, read on scroll and resize. */
function useViewport(): [
  { current: HTMLDivElement | null },
  { top: number; height: number },
  () => void,
] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const read = () => {
    const element = ref.current;
    if (element === null) return;
    setView((current) =>
      current.top === element.scrollTop && current.height === element.clientHeight
        ? current
        : { top: element.scrollTop, height: element.clientHeight }
    );
  };
  useLayoutEffect(() => {
    read();
    const element = ref.current;
    if (element === null || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(read);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, view, read];
}

/**
 * The guild's members in the design doc's three steps: the online members
 * arrive with the view (`pool_all_request {online: true}`); scrolling near
 * the end asks for the rest of the pool (one `pool_all_request`, answered in
 * chunks of up to 1,000); typing searches (`pool_search`). Only the visible
 * lines are drawn. "Online only" and the role filter apply to what is
 * loaded (the online members are always all loaded). Joins and leaves
 * arrive as `log_pool` pushes.
 */
export function MemberView(
  { guildId, guildName, avatarCdn }: {
    guildId: string;
    guildName: string;
    avatarCdn: string | null;
  },
): VNode {
  const [wantAll, setWantAll] = useState(false);
  const online = usePool("member", guildId, { online: true });
  const all = usePool("member", guildId, { enabled: wantAll });
  const roles = usePool("role", guildId);
  const [filter, setFilter] = useState<MemberFilter>(NO_MEMBER_FILTER);
  const [text, setText] = useState("");
  const search = useMemberSearch(guildId, text);
  const { text: said, announce } = useAnnouncer();
  const slice = online.slice;
  const whole = slice.fullyPopulated;
  const lastSeen = useRef(slice.entities);
  const fresh = useLiveChanges("member", guildId, (change) => {
    const member = (change.entity ?? lastSeen.current[change.id]) as Member | undefined;
    const who = member === undefined ? "A member" : displayName(member);
    if (change.action !== "update") {
      announce(`${who} ${change.action === "add" ? "joined" : "left"}`);
    }
  });
  useEffect(() => {
    lastSeen.current = slice.entities;
  });

  const lines = useMemo(() => {
    if (search !== null) {
      const found = (search.ids ?? []).map((id) => slice.entities[id]).filter((m) =>
        m !== undefined
      );
      return searchLines(found, filter);
    }
    return memberLines(Object.values(slice.entities), filter, whole);
  }, [slice.entities, filter, whole, search]);
  const memberCount = lines.reduce((n, line) => n + (line.kind === "member" ? 1 : 0), 0);

  const [scroller, view, readView] = useViewport();
  const first = Math.max(0, Math.floor(view.top / LINE_PX) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((view.top + view.height) / LINE_PX) + OVERSCAN);
  const more = !whole && !filter.onlineOnly && search === null;
  const nearEnd = lines.length * LINE_PX - (view.top + view.height) < MORE_WITHIN_PX;
  // Members the log looked up by id are in the pool too: step 2 waits for step 1 itself.
  const step1Done = online.settled;
  useEffect(() => {
    if (more && nearEnd && step1Done && !wantAll) setWantAll(true);
  }, [more, nearEnd, step1Done, wantAll]);
  // A new guild, filter or search starts at the top.
  useEffect(() => {
    if (scroller.current !== null) scroller.current.scrollTop = 0;
    readView();
  }, [filter, search?.query]);

  const roleMap = roles.slice.entities as Readonly<Record<string, Role>>;
  const roleOptions = useMemo(
    () => rolesInOrder(Object.values(roleMap)).filter((role) => role.id !== guildId),
    [roleMap, guildId],
  );
  const failure = online.failure ?? all.failure;
  const status = search !== null
    ? search.ids === null ? "Searching…" : `${memberCount} found`
    : `${formatCount(memberCount)} shown${whole ? "" : " · online loaded"}`;

  return (
    <section
      class="entity-view members"
      aria-labelledby="members-title"
      data-testid="member-view"
      data-guild-id={guildId}
      data-loaded={Object.keys(slice.entities).length}
      data-whole={whole ? "true" : "false"}
      data-step={whole ? "all" : online.settled ? "online" : "loading"}
      data-shown={memberCount}
      data-searching={search === null ? undefined : search.ids === null ? "running" : "done"}
    >
      <ViewHeader id="members-title" title="Members" count={status} />
      <ViewAnnouncer text={said} />
      <div class="member-toolbar" role="search">
        <label class="sr-only" for="member-search">Search members by name</label>
        <input
          id="member-search"
          class="field-input member-search"
          type="search"
          placeholder="Search members"
          maxLength={100}
          value={text}
          data-testid="member-search"
          onInput={(event) => setText((event.currentTarget as HTMLInputElement).value)}
        />
        <label class="toggle">
          <input
            type="checkbox"
            checked={filter.onlineOnly}
            data-testid="member-online-only"
            onChange={(event) => {
              const onlineOnly = (event.currentTarget as HTMLInputElement).checked;
              setFilter((current) => ({ ...current, onlineOnly }));
            }}
          />
          <span>Online only</span>
        </label>
        <label class="sr-only" for="member-role">Only members with the role</label>
        <select
          id="member-role"
          class="field-input member-role"
          value={filter.roleId ?? ""}
          data-testid="member-role"
          onChange={(event) => {
            const value = (event.currentTarget as HTMLSelectElement).value;
            setFilter((current) => ({ ...current, roleId: value === "" ? null : value }));
          }}
        >
          <option value="">All roles</option>
          {roleOptions.map((role) => <option key={role.id} value={role.id}>{role.name}</option>)}
        </select>
      </div>
      {failure !== null && <ViewProblem text={`Could not load the members: ${failure.human}`} />}
      {search?.failed && <ViewProblem text="The search failed. Try again in a moment." />}
      <div
        class="entity-scroll member-scroll"
        ref={scroller}
        tabIndex={0}
        aria-label={`Members of ${guildName}`}
        onScroll={readView}
        data-testid="member-scroll"
      >
        <ul class="member-list" style={{ height: `${lines.length * LINE_PX}px` }}>
          {lines.slice(first, last).map((line, offset) => {
            const top = (first + offset) * LINE_PX;
            if (line.kind === "group") {
              return (
                <li key={`g-${line.key}`} class="member-group" style={{ top: `${top}px` }}>
                  <h3 class="member-group-title">
                    {line.label} — {formatCount(line.count)}
                  </h3>
                </li>
              );
            }
            return (
              <li
                key={line.key}
                class="member-line"
                style={{ top: `${top}px` }}
                aria-setsize={memberCount}
                aria-posinset={line.position}
                data-testid="member"
                data-id={line.member.id}
                data-status={line.member.status ?? "offline"}
              >
                <MemberRow
                  member={line.member}
                  roles={roleMap}
                  avatarCdn={avatarCdn}
                  fresh={fresh.has(line.member.id)}
                />
              </li>
            );
          })}
        </ul>
        {more && (
          <p class="member-more" role="status" data-testid="member-more">
            {wantAll ? "Loading the offline members…" : "Scroll for the offline members"}
          </p>
        )}
        {search !== null && search.ids !== null && memberCount === 0 && (
          <p class="entity-empty">No member’s name or nick starts with “{search.query}”.</p>
        )}
      </div>
    </section>
  );
}
