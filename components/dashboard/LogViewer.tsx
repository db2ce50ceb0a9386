// This module is browser-compatible.
import type { VNode } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { GatewayClient } from "../../client/mod.ts";
import { hoarFrostTime } from "../../client/mod.ts";
import type { DashboardStore } from "../../lib/dashboard/dashboard_store.ts";
import { type FeedState, LogFeed, type LogGapNotice } from "../../lib/dashboard/log_feed.ts";
import { isFiltering, type LogViewFilter, NO_FILTER } from "../../lib/dashboard/log_store.ts";
import type { ConnectionStatus } from "../../lib/use_gateway.ts";
import { ConnectionBadge } from "../ConnectionBadge.tsx";
import { LiveRate } from "./LiveRate.tsx";
import { LogAnnouncer } from "./LogAnnouncer.tsx";
import { formatLogTime } from "./LogRow.tsx";
import { LogTable } from "./LogTable.tsx";
import { LogToolbar } from "./LogToolbar.tsx";
import { formatCount } from "../../lib/format_count.ts";

export interface LogViewerProps {
  readonly client: GatewayClient;
  /** The dashboard's store: names come from its pools. */
  readonly store: DashboardStore;
  readonly guild: { readonly id: string; readonly name: string };
  readonly status: ConnectionStatus;
  /** Events kept in memory (the newest); twice as many while paused. Default 20 000. */
  readonly capacity?: number;
}

/** The view redraws at most this often, however fast events come. */
const RENDER_INTERVAL_MS = 100;
/** Typing in the search box waits this long before filtering. */
const TEXT_DELAY_MS = 200;
const DEFAULT_CAPACITY = 20_000;

const TIERS: Readonly<Record<string, string>> = {
  architus_staff: "Architus staff",
  architus_admin: "Architus admin",
  discord_admin: "Discord admin",
  member: "Member",
};

const GAP_REASONS: Readonly<Record<LogGapNotice["reason"], string>> = {
  slow_consumer: "the connection fell behind",
  bus_outage: "the server lost its event feed for a moment",
  not_recovered: "the connection was away too long to catch up",
};

/** Redraws the component when the feed changes, at most every `RENDER_INTERVAL_MS`. */
function useFeed(feed: LogFeed | null): void {
  const [, setDrawn] = useState(0);
  useEffect(() => {
    if (feed === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const redraw = () => {
      timer = undefined;
      last = performance.now();
      setDrawn((count) => count + 1);
    };
    const off = feed.subscribe(() => {
      if (timer !== undefined) return;
      timer = setTimeout(redraw, Math.max(0, last + RENDER_INTERVAL_MS - performance.now()));
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [feed]);
}

function GapNotice(
  { gap, onFill, onDismiss }: { gap: LogGapNotice; onFill: () => void; onDismiss: () => void },
): VNode {
  const from = gap.after === null ? null : formatLogTime(hoarFrostTime(gap.after));
  const until = formatLogTime(hoarFrostTime(gap.until));
  return (
    <div class="log-notice log-notice-gap" role="status" data-testid="log-gap">
      <span class="log-notice-icon" aria-hidden="true">⚠</span>
      <span class="log-notice-text">
        Some events {from === null ? `up to ${until}` : `between ${from} and ${until}`} are missing:
        {" "}
        {GAP_REASONS[gap.reason]}.
        {gap.error !== null && <span class="log-notice-error">{gap.error}</span>}
      </span>
      <button
        type="button"
        class="button button-small"
        disabled={gap.filling}
        onClick={onFill}
        data-testid="fill-gap"
      >
        {gap.filling ? "Loading…" : "Load the missing range"}
      </button>
      <button type="button" class="button-link" onClick={onDismiss}>Dismiss</button>
    </div>
  );
}

function Notices(
  { state, feed, guildName }: { state: FeedState; feed: LogFeed; guildName: string },
): VNode {
  return (
    <>
      {state.phase === "failed" && (
        <div class="log-notice log-notice-error" role="alert" data-testid="log-failed">
          Could not open {guildName}: {state.error}
        </div>
      )}
      {state.phase === "refused" && (
        <div class="log-notice log-notice-error" role="alert" data-testid="logs-refused">
          Logs refused: you may not view this server’s logs (it needs the “view public logs”
          permission).
        </div>
      )}
      {state.gaps.map((gap) => (
        <GapNotice
          key={gap.key}
          gap={gap}
          onFill={() => void feed.fillGap(gap.key)}
          onDismiss={() => feed.dismissGap(gap.key)}
        />
      ))}
    </>
  );
}

/**
 * The log viewer of one guild: live events over history, newest on top,
 * with filters (client side, and sent along when loading older history),
 * pause, a live rate, and notices for what the stream could not deliver.
 */
export function LogViewer(props: LogViewerProps): VNode {
  const { client, guild } = props;
  const entities = props.store;
  const capacity = props.capacity ?? DEFAULT_CAPACITY;
  const [feed, setFeed] = useState<LogFeed | null>(null);
  const [filter, setFilter] = useState<LogViewFilter>(NO_FILTER);
  const [text, setText] = useState("");
  const [pausedAt, setPausedAt] = useState<string | null>(null);
  useFeed(feed);

  useEffect(() => {
    const next = new LogFeed({ client, store: entities, guildId: guild.id, capacity });
    setFilter(NO_FILTER);
    setText("");
    setPausedAt(null);
    // The viewer's body is drawn in a task of its own (not the one running the effects of
    // everything mounted with it), and the feed starts in the task after.
    let starting: ReturnType<typeof setTimeout> | undefined;
    const drawing = setTimeout(() => {
      setFeed(next);
      starting = setTimeout(() => void next.start(), 0);
    }, 0);
    return () => {
      clearTimeout(drawing);
      clearTimeout(starting);
      next.stop();
    };
  }, [client, entities, guild.id, capacity]);

  useEffect(() => {
    const timer = setTimeout(() => {
      const trimmed = text.trim();
      setFilter((current) => current.text === trimmed ? current : { ...current, text: trimmed });
    }, TEXT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    feed?.setFilter(filter);
  }, [feed, filter]);

  useEffect(() => {
    // Paused, new events wait in memory: room for as many again before the oldest go.
    if (feed !== null) feed.store.capacity = pausedAt === null ? capacity : capacity * 2;
  }, [feed, pausedAt, capacity]);

  const onAgent = useCallback(
    (agentId: string) => setFilter((current) => ({ ...current, agentId })),
    [],
  );

  if (feed === null) {
    return <section class="log-viewer" data-testid="log-viewer" data-phase="joining" />;
  }

  const { store, state } = feed;
  const privateAllowed = state.categories.includes("log.private");
  const end = pausedAt === null ? store.shownCount : store.shownThrough(pausedAt);
  const fresh = store.shownCount - end;
  const rowAt = (index: number) => store.shownAt(end - 1 - index);
  const indexOf = (id: string) => {
    const at = store.shownIndexOf(id);
    return at < 0 || at >= end ? -1 : end - 1 - at;
  };
  const filtering = isFiltering(filter);
  const oldest = store.oldest();
  const newest = store.newest();
  const tier = state.tier === null ? null : TIERS[state.tier] ?? state.tier;
  const resetKey = `${guild.id}|${JSON.stringify(filter)}`;

  const pause = () => setPausedAt(store.newest()?.id ?? "0");
  const resume = () => setPausedAt(null);
  const clearFilters = () => {
    setText("");
    setFilter(NO_FILTER);
  };

  return (
    <section
      class="log-viewer"
      aria-label={`Logs of ${guild.name}`}
      data-testid="log-viewer"
      data-guild-id={guild.id}
      data-phase={state.phase}
      data-event-count={store.size}
      data-shown-count={end}
      data-oldest-id={oldest?.id}
      data-newest-id={newest?.id}
      data-paused={pausedAt === null ? "false" : "true"}
      data-private-visible={privateAllowed ? "true" : "false"}
      data-gaps={state.gaps.length}
      data-reloads={state.reloads}
    >
      <header class="log-header">
        <span class="log-hash" aria-hidden="true">#</span>
        <h2 class="log-title">{guild.name}</h2>
        <span class="log-subtitle">logs</span>
        {tier !== null && <span class="tier-pill" data-testid="tier">{tier}</span>}
        <span class="log-header-end">
          <LiveRate meter={feed.rate} />
          <ConnectionBadge status={props.status} />
        </span>
      </header>

      <LogToolbar
        store={entities}
        guildId={guild.id}
        names={feed.names}
        namesVersion={feed.names.version}
        text={text}
        filter={filter}
        privateAllowed={privateAllowed}
        paused={pausedAt !== null}
        onText={setText}
        onFilter={setFilter}
        onClear={clearFilters}
        onPause={pause}
        onResume={resume}
      />

      <Notices state={state} feed={feed} guildName={guild.name} />
      <LogAnnouncer
        newestId={store.shownAt(store.shownCount - 1)?.id}
        countNewer={(id) => store.shownCount - store.shownThrough(id)}
        quiet={pausedAt !== null || state.phase !== "live"}
      />

      <div class="log-body">
        {pausedAt !== null && (
          <button
            type="button"
            class="new-events"
            data-testid="resume"
            onClick={resume}
          >
            <span data-testid="new-count" data-count={fresh}>{formatCount(fresh)}</span>
            {fresh === 1 ? " new event" : " new events"} · resume
          </button>
        )}
        <LogTable
          count={end}
          rowAt={rowAt}
          indexOf={indexOf}
          names={feed.names}
          namesVersion={feed.names.version}
          onAgent={onAgent}
          resetKey={resetKey}
          label={`Log of ${guild.name}`}
          empty={state.phase === "joining"
            ? `Joining ${guild.name}…`
            : state.phase !== "live"
            ? ""
            : filtering
            ? "No event matches the filters. “Load older” searches the history."
            : "Waiting for events…"}
        />
      </div>

      <footer class="log-status">
        <span class="log-counts">
          {`${formatCount(end)} shown · ${formatCount(store.size)} in memory`}
          {oldest !== undefined && ` · since ${formatLogTime(oldest.timestamp)}`}
        </span>
        {privateAllowed && (
          <span class="legend" data-testid="private-legend">
            <span aria-hidden="true">🔒</span> private: Architus admins only
          </span>
        )}
        {state.olderError !== null && (
          <span class="log-notice-error" role="alert">{state.olderError}</span>
        )}
        <button
          type="button"
          class="button button-small load-older"
          data-testid="load-older"
          disabled={state.loadingOlder || state.phase !== "live" || state.olderExhausted}
          onClick={() => void feed.loadOlder()}
        >
          {state.loadingOlder
            ? "Loading…"
            : state.olderExhausted
            ? "No older events"
            : "Load older"}
        </button>
      </footer>
    </section>
  );
}
