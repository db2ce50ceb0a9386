import type { Backend } from "../backend/backend.ts";
import { compareIds, type LogEvent } from "../protocol/mod.ts";
import type { WireEvent } from "./wire_event.ts";

/** The events after a resume point, oldest first, or why they cannot all be had. */
export interface Replay {
  readonly recovered: boolean;
  readonly events: readonly WireEvent[];
}

/**
 * Reads every event of `guildId` after `since` from the backend's history,
 * paging newest-first, up to `max`. Not recovered when the history already
 * dropped events after `since`, or when more than `max` are missing.
 */
export async function readReplay(
  backend: Backend,
  args: { guildId: string; since: string; includePrivate: boolean; max: number },
  signal: AbortSignal,
): Promise<Replay> {
  const pages: LogEvent[][] = [];
  let before: string | undefined;
  let total = 0;
  while (true) {
    const page = await backend.logsHistory({
      guildId: args.guildId,
      after: args.since,
      before,
      limit: 500,
      includePrivate: args.includePrivate,
    }, signal);
    if (page.evictedThrough !== null && compareIds(args.since, page.evictedThrough) < 0) {
      return { recovered: false, events: [] };
    }
    pages.push([...page.events]);
    total += page.events.length;
    if (total > args.max) return { recovered: false, events: [] };
    const oldest = page.events[page.events.length - 1];
    if (!page.hasMore || oldest === undefined) break;
    before = oldest.id;
  }
  const events: WireEvent[] = [];
  for (let p = pages.length - 1; p >= 0; p--) {
    const page = pages[p] as LogEvent[];
    for (let i = page.length - 1; i >= 0; i--) {
      const e = page[i] as LogEvent;
      events.push({ id: e.id, json: JSON.stringify(e), private: e.private });
    }
  }
  return { recovered: true, events };
}
