// This module is browser-compatible.
import { compareIds, type LogEvent, type LogFilter } from "../../client/mod.ts";

/** What the viewer shows; every part must match. */
export interface LogViewFilter {
  /** Event types to show; empty shows every type. */
  readonly types: readonly number[];
  readonly agentId: string | null;
  /** Case-insensitive substring of the raw content; empty matches everything. */
  readonly text: string;
  /** Hide private events (a view preference; the server has no such filter). */
  readonly hidePrivate: boolean;
}

export const NO_FILTER: LogViewFilter = Object.freeze({
  types: [],
  agentId: null,
  text: "",
  hidePrivate: false,
});

/**
 * Whether an event passes the filter. The parts the server knows match
 * exactly as the history's filter does (`types`, `agent_id`, content
 * substring), so a filtered "load older" agrees with the live view.
 */
export function matchesFilter(event: LogEvent, filter: LogViewFilter): boolean {
  if (filter.hidePrivate && event.private) return false;
  if (filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  if (filter.agentId !== null && event.agent_id !== filter.agentId) return false;
  if (filter.text !== "" && !event.content.toLowerCase().includes(filter.text.toLowerCase())) {
    return false;
  }
  return true;
}

/** The history request's filter for a view filter; undefined when it filters nothing. */
export function serverFilter(filter: LogViewFilter): LogFilter | undefined {
  const out: { types?: number[]; agent_id?: string; text?: string } = {};
  if (filter.types.length > 0) out.types = [...filter.types].slice(0, 64);
  if (filter.agentId !== null) out.agent_id = filter.agentId;
  if (filter.text !== "") out.text = filter.text.slice(0, 200);
  return Object.keys(out).length > 0 ? out : undefined;
}

export function isFiltering(filter: LogViewFilter): boolean {
  return filter.types.length > 0 || filter.agentId !== null || filter.text !== "" ||
    filter.hidePrivate;
}

/** First index in `events` (ascending by id) whose id is greater than `id`. */
function upperBound(events: readonly LogEvent[], id: string): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds((events[mid] as LogEvent).id, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function byId(a: LogEvent, b: LogEvent): number {
  return compareIds(a.id, b.id);
}

/**
 * The events of one guild the viewer holds: ordered by id, each once,
 * bounded to the newest `capacity`, with the filtered subsequence kept
 * beside them. Live events (always newer) are appended in O(1); history
 * pages and gap fills are merged, which costs one pass.
 */
export class LogStore {
  #events: LogEvent[] = [];
  readonly #ids = new Set<string>();
  #shown: LogEvent[] = [];
  #filter: LogViewFilter = NO_FILTER;
  #capacity: number;
  /** Grows with every change, for cheap "did anything change" checks. */
  version = 0;

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 20_000;
  }

  /** Events held. */
  get size(): number {
    return this.#events.length;
  }

  /** Events passing the filter. */
  get shownCount(): number {
    return this.#shown.length;
  }

  get filter(): LogViewFilter {
    return this.#filter;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Changes the bound; a smaller one trims at the next `add`. */
  set capacity(value: number) {
    this.#capacity = Math.max(1, Math.floor(value));
  }

  oldest(): LogEvent | undefined {
    return this.#events[0];
  }

  newest(): LogEvent | undefined {
    return this.#events[this.#events.length - 1];
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** The `index`-th shown event, oldest first. */
  shownAt(index: number): LogEvent | undefined {
    return this.#shown[index];
  }

  /** How many shown events have ids up to and including `id`. */
  shownThrough(id: string): number {
    return upperBound(this.#shown, id);
  }

  /** The index of a shown event, or -1. */
  shownIndexOf(id: string): number {
    const index = upperBound(this.#shown, id) - 1;
    return index >= 0 && (this.#shown[index] as LogEvent).id === id ? index : -1;
  }

  /** The newest held event older than `id`. */
  before(id: string): LogEvent | undefined {
    let lo = 0;
    let hi = this.#events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds((this.#events[mid] as LogEvent).id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return this.#events[lo - 1];
  }

  /** Every held event, oldest first (a copy). */
  all(): LogEvent[] {
    return [...this.#events];
  }

  /**
   * Adds events in any order, skipping ids already held. Returns how many
   * were new. Trims the oldest beyond the capacity (with a little slack, so
   * a steady stream does not shift the array on every batch).
   */
  add(events: readonly LogEvent[]): number {
    let added = 0;
    let middle: LogEvent[] | undefined;
    for (const event of events) {
      if (this.#ids.has(event.id)) continue;
      this.#ids.add(event.id);
      added++;
      const newest = this.#events[this.#events.length - 1];
      if (newest === undefined || compareIds(event.id, newest.id) > 0) {
        this.#events.push(event);
        if (matchesFilter(event, this.#filter)) this.#shown.push(event);
      } else {
        (middle ??= []).push(event);
      }
    }
    if (middle !== undefined) {
      middle.sort(byId);
      this.#events = merge(this.#events, middle);
      this.#refilter();
    }
    if (added > 0) {
      this.#trim();
      this.version++;
    }
    return added;
  }

  setFilter(filter: LogViewFilter): void {
    this.#filter = filter;
    this.#refilter();
    this.version++;
  }

  clear(): void {
    this.#events = [];
    this.#ids.clear();
    this.#shown = [];
    this.version++;
  }

  #refilter(): void {
    const filter = this.#filter;
    this.#shown = isFiltering(filter)
      ? this.#events.filter((event) => matchesFilter(event, filter))
      : [...this.#events];
  }

  #trim(): void {
    const slack = Math.max(1, Math.ceil(this.#capacity / 20));
    if (this.#events.length <= this.#capacity + slack) return;
    const drop = this.#events.length - this.#capacity;
    const dropped = this.#events.splice(0, drop);
    for (const event of dropped) this.#ids.delete(event.id);
    const last = dropped[dropped.length - 1] as LogEvent;
    this.#shown.splice(0, upperBound(this.#shown, last.id));
  }
}

/** Merges two id-ordered lists. */
function merge(a: readonly LogEvent[], b: readonly LogEvent[]): LogEvent[] {
  const out: LogEvent[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = byId(a[i] as LogEvent, b[j] as LogEvent) <= 0
      ? a[i++] as LogEvent
      : b[j++] as LogEvent;
  }
  while (i < a.length) out[k++] = a[i++] as LogEvent;
  while (j < b.length) out[k++] = b[j++] as LogEvent;
  return out;
}
