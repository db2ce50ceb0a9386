// This module is browser-compatible.
import {
  compareIds,
  type GatewayClient,
  GatewayRequestError,
  type LogEvent,
  type ServerFrameOf,
  type SubscribedEvent,
  type Subscription,
  type UnsubscribedEvent,
} from "../../client/mod.ts";
import type { DashboardStore } from "./dashboard_store.ts";
import { LogStore, type LogViewFilter, serverFilter } from "./log_store.ts";
import { NameDirectory } from "./name_directory.ts";
import { RateMeter } from "./rate_meter.ts";
import { mentionedUsers } from "./rich_content.ts";

/**
 * The first history page: enough to fill a tall window (rows are 28 px), and
 * small enough that opening a guild is one short task for the browser, not
 * one that blocks input. Scrolling and "Load older" bring the rest.
 */
const FIRST_PAGE_SIZE = 60;
/** Events per older history page: each "load older", each gap-filling step. */
const PAGE_SIZE = 200;
/** A gap is filled in pages of this many… */
const FILL_PAGE_SIZE = 500;
/** …up to this many pages per click; a longer gap keeps its notice for the rest. */
const FILL_MAX_PAGES = 20;

export type FeedPhase = "joining" | "live" | "refused" | "failed";

export type GapReason = "slow_consumer" | "bus_outage" | "not_recovered";

/** Events the viewer knows it does not have: ids after `after` up to and including `until`. */
export interface LogGapNotice {
  readonly key: number;
  readonly after: string | null;
  readonly until: string;
  readonly reason: GapReason;
  readonly filling: boolean;
  readonly error: string | null;
}

export interface FeedState {
  readonly phase: FeedPhase;
  /** From `spectate_return`: the tier, the Architus bits, the categories received. */
  readonly tier: string | null;
  readonly permissions: number;
  readonly categories: readonly string[];
  /** Why joining failed, for people. */
  readonly error: string | null;
  readonly loadingOlder: boolean;
  /** The last "load older" with the current filter found nothing more. */
  readonly olderExhausted: boolean;
  readonly olderError: string | null;
  readonly gaps: readonly LogGapNotice[];
  /** Times a resume could not be replayed and the newest page was reloaded. */
  readonly reloads: number;
}

const INITIAL: FeedState = {
  phase: "joining",
  tier: null,
  permissions: 0,
  categories: [],
  error: null,
  loadingOlder: false,
  olderExhausted: false,
  olderError: null,
  gaps: [],
  reloads: 0,
};

function describe(error: unknown): string {
  return error instanceof GatewayRequestError ? error.human : "Something went wrong.";
}

/** `id + delta` for decimal ids beyond 2^53. */
export function shiftId(id: string, delta: number): string {
  const value = BigInt(id) + BigInt(delta);
  return value < 0n ? "0" : value.toString();
}

/**
 * One guild's log as the dashboard follows it: spectates with logs, loads
 * the newest page of history, merges live pushes, pages older history on
 * demand, and repairs what a reconnect could not replay. The client
 * library resumes a reconnected stream by itself (`since`); this class
 * only reacts to what the server says it could not deliver: `log_gap`
 * pushes and a resume answered with `recovered: false`.
 */
export class LogFeed {
  readonly guildId: string;
  readonly store: LogStore;
  readonly rate: RateMeter = new RateMeter();
  readonly names: NameDirectory;
  readonly #client: GatewayClient;
  #state: FeedState = INITIAL;
  readonly #listeners = new Set<() => void>();
  readonly #offs: Array<() => void> = [];
  #stopped = false;
  #nextGap = 1;
  #olderFilterKey = "";

  constructor(
    options: { client: GatewayClient; store: DashboardStore; guildId: string; capacity?: number },
  ) {
    this.guildId = options.guildId;
    this.#client = options.client;
    this.store = new LogStore({ capacity: options.capacity });
    this.names = new NameDirectory({ store: options.store, guildId: options.guildId });
  }

  get state(): FeedState {
    return this.#state;
  }

  /** Calls `listener` after every change (events, state, names); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Spectates the guild with logs and loads the newest page of its history. */
  async start(): Promise<void> {
    const client = this.#client;
    this.#offs.push(
      client.on("log_other", (frame) => this.#onEvents(frame)),
      client.on("log_gap", (frame) => this.#onGap(frame)),
      // Spectates the client restored by itself: after a reconnect or a re-elevation.
      client.on("subscribed", (event) => {
        if (event.restored) void this.#onRestored(event);
      }),
      client.on("unsubscribed", (event) => this.#onUnsubscribed(event)),
      this.names.subscribe(() => this.#changed()),
    );
    void this.names.loadGuildPools();
    let answer: ServerFrameOf<"spectate_return">;
    try {
      answer = await client.spectate(this.guildId, { includeLogs: true });
    } catch (error) {
      if (this.#stopped) return;
      this.#set({ phase: "failed", error: describe(error) });
      return;
    }
    if (this.#stopped) return;
    this.#accept(answer);
    if (answer.logs !== "granted") return;
    await this.#loadNewest();
  }

  /** Detaches from the client. The next spectate (or `spectate(null)`) ends the server side. */
  stop(): void {
    this.#stopped = true;
    for (const off of this.#offs.splice(0)) off();
    this.names.stop();
    this.#listeners.clear();
  }

  /** Shows what matches `filter`; a new filter may find older events again. */
  setFilter(filter: LogViewFilter): void {
    this.store.setFilter(filter);
    const key = JSON.stringify(serverFilter(filter) ?? {});
    if (key !== this.#olderFilterKey) {
      this.#olderFilterKey = key;
      this.#set({ olderExhausted: false, olderError: null });
    } else {
      this.#changed();
    }
  }

  /** Asks the history for the page before the oldest event held, with the view's filter. */
  async loadOlder(): Promise<void> {
    if (this.#state.loadingOlder || this.#state.phase !== "live") return;
    this.#set({ loadingOlder: true, olderError: null });
    const before = this.store.oldest()?.id;
    const filter = serverFilter(this.store.filter);
    try {
      const page = await this.#client.request("logs_request", {
        guild_id: this.guildId,
        ...(before === undefined ? {} : { before }),
        limit: PAGE_SIZE,
        ...(filter === undefined ? {} : { filter }),
      });
      if (this.#stopped) return;
      this.#add(page.events);
      this.#set({ loadingOlder: false, olderExhausted: !page.has_more });
    } catch (error) {
      if (this.#stopped) return;
      this.#set({ loadingOlder: false, olderError: describe(error) });
    }
  }

  /** Loads the events a gap notice names, newest first, in pages. */
  async fillGap(key: number): Promise<void> {
    const gap = this.#state.gaps.find((candidate) => candidate.key === key);
    if (gap === undefined || gap.filling) return;
    this.#updateGap(key, { filling: true, error: null });
    // Without a start, the gap begins after the newest event held before it.
    const after = gap.after ?? this.store.before(gap.until)?.id;
    let before = shiftId(gap.until, 1);
    try {
      for (let page = 0; page < FILL_MAX_PAGES; page++) {
        const answer = await this.#client.request("logs_request", {
          guild_id: this.guildId,
          before,
          ...(after === undefined ? {} : { after }),
          limit: FILL_PAGE_SIZE,
        });
        if (this.#stopped) return;
        this.#add(answer.events);
        const oldest = answer.events[answer.events.length - 1];
        if (!answer.has_more || oldest === undefined || after === undefined) {
          this.#set({ gaps: this.#state.gaps.filter((candidate) => candidate.key !== key) });
          return;
        }
        before = oldest.id;
      }
      // Still more: the notice stays for what is left.
      this.#updateGap(key, { filling: false, until: shiftId(before, -1) });
    } catch (error) {
      if (this.#stopped) return;
      this.#updateGap(key, { filling: false, error: describe(error) });
    }
  }

  /** Forgets a gap notice without loading it. */
  dismissGap(key: number): void {
    this.#set({ gaps: this.#state.gaps.filter((gap) => gap.key !== key) });
  }

  #accept(answer: Pick<Subscription, "logs" | "tier" | "permissions" | "categories">): void {
    this.#set({
      phase: answer.logs === "granted" ? "live" : "refused",
      tier: answer.tier,
      permissions: answer.permissions,
      categories: answer.categories,
      error: null,
    });
  }

  async #loadNewest(): Promise<{ oldest: LogEvent | undefined; hasMore: boolean } | undefined> {
    try {
      const page = await this.#client.request("logs_request", {
        guild_id: this.guildId,
        limit: FIRST_PAGE_SIZE,
      });
      if (this.#stopped) return undefined;
      this.#add(page.events);
      return { oldest: page.events[page.events.length - 1], hasMore: page.has_more };
    } catch (error) {
      if (this.#stopped) return undefined;
      this.#set({ olderError: describe(error) });
      return undefined;
    }
  }

  /** The client spectated the guild again by itself; were the logs replayed? */
  async #onRestored(frame: SubscribedEvent): Promise<void> {
    if (frame.guildId !== this.guildId || this.#stopped) return;
    this.#accept(frame);
    if (frame.logs !== "granted" || frame.recovered === true) return;
    // Not replayed (too far behind, or nothing to resume from): reload the newest page,
    // and say so if it does not reach back to what was held.
    const newestBefore = this.store.newest()?.id;
    this.#set({ reloads: this.#state.reloads + 1 });
    const page = await this.#loadNewest();
    if (page === undefined || newestBefore === undefined || page.oldest === undefined) return;
    if (page.hasMore && compareIds(page.oldest.id, newestBefore) > 0) {
      this.#addGap({
        after: newestBefore,
        until: shiftId(page.oldest.id, -1),
        reason: "not_recovered",
      });
    }
  }

  /** The gateway ended the spectate; unless the client restores it, say why. */
  #onUnsubscribed(event: UnsubscribedEvent): void {
    if (event.guildId !== this.guildId || this.#stopped || event.willRestore) return;
    const why = event.reason === "demoted"
      ? "Your sign-in ended. Sign in again to keep watching."
      : event.reason === "access_unverified"
      ? "Your access to this server could not be confirmed. Reload to try again."
      : "You can no longer watch this server.";
    this.#set({ phase: "failed", error: why });
  }

  #onEvents(frame: ServerFrameOf<"log_other">): void {
    if (frame.guild_id !== this.guildId) return;
    this.rate.note(frame.events.length);
    this.#add(frame.events);
  }

  #onGap(frame: ServerFrameOf<"log_gap">): void {
    if (frame.guild_id !== this.guildId) return;
    this.#addGap({ after: frame.after, until: frame.until, reason: frame.reason });
  }

  #add(events: readonly LogEvent[]): void {
    if (events.length === 0) return;
    const ids: string[] = [];
    for (const event of events) {
      if (event.agent_id) ids.push(event.agent_id);
      if (event.content.includes("<@")) ids.push(...mentionedUsers(event.content));
    }
    this.names.want(ids);
    if (this.store.add(events) > 0) this.#changed();
  }

  #addGap(gap: { after: string | null; until: string; reason: GapReason }): void {
    const notice: LogGapNotice = { ...gap, key: this.#nextGap++, filling: false, error: null };
    this.#set({ gaps: [...this.#state.gaps, notice] });
  }

  #updateGap(key: number, patch: Partial<Omit<LogGapNotice, "key">>): void {
    this.#set({
      gaps: this.#state.gaps.map((gap) => gap.key === key ? { ...gap, ...patch } : gap),
    });
  }

  #set(patch: Partial<FeedState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#changed();
  }

  #changed(): void {
    if (this.#stopped) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        globalThis.reportError(error);
      }
    }
  }
}
