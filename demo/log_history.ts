import { compareIds, hoarFrostAt, type LogEvent, type LogFilter } from "../gateway/protocol/mod.ts";
import type { LogsHistory, LogsHistoryArgs } from "../gateway/backend/backend.ts";

/**
 * A bounded recent history of log events per guild, oldest first, kept in
 * this process's memory. Events must be appended in id order per guild
 * (hoar frosts of one generator). It knows when it began: everything before
 * its start died with an earlier process, so it reports its start as
 * already evicted, and a resume from before it is `recovered: false`.
 */
export class LogHistory {
  readonly #capacity: number;
  readonly #guilds = new Map<string, { events: LogEvent[]; evictedThrough: string }>();
  /** The largest id made before this history began. */
  readonly #beforeStart: string;

  constructor(options: { capacityPerGuild?: number; startedAt?: number } = {}) {
    this.#capacity = options.capacityPerGuild ?? 20_000;
    const first = BigInt(hoarFrostAt(options.startedAt ?? Date.now()));
    this.#beforeStart = String(first > 0n ? first - 1n : 0n);
  }

  append(event: LogEvent): void {
    let g = this.#guilds.get(event.guild_id);
    if (g === undefined) {
      this.#guilds.set(event.guild_id, g = { events: [], evictedThrough: this.#beforeStart });
    }
    g.events.push(event);
    if (g.events.length > this.#capacity * 1.25) {
      const dropped = g.events.splice(0, g.events.length - this.#capacity);
      g.evictedThrough = dropped[dropped.length - 1]?.id ?? g.evictedThrough;
    }
  }

  /** Events matching `args`, newest first, at most `limit`. */
  query(args: LogsHistoryArgs): LogsHistory {
    const g = this.#guilds.get(args.guildId);
    if (g === undefined) return { events: [], hasMore: false, evictedThrough: this.#beforeStart };
    const out: LogEvent[] = [];
    let hasMore = false;
    for (let i = g.events.length - 1; i >= 0; i--) {
      const e = g.events[i] as LogEvent;
      if (args.before !== undefined && compareIds(e.id, args.before) >= 0) continue;
      if (args.after !== undefined && compareIds(e.id, args.after) <= 0) break;
      if (e.private && !args.includePrivate) continue;
      if (!matches(e, args.filter)) continue;
      if (out.length === args.limit) {
        hasMore = true;
        break;
      }
      out.push(e);
    }
    return { events: out, hasMore, evictedThrough: g.evictedThrough };
  }
}

function matches(e: LogEvent, filter: LogFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter.types !== undefined && !filter.types.includes(e.type)) return false;
  if (filter.agent_id !== undefined && e.agent_id !== filter.agent_id) return false;
  if (filter.channel_id !== undefined && e.channel_id !== filter.channel_id) return false;
  if (filter.text !== undefined && !e.content.toLowerCase().includes(filter.text.toLowerCase())) {
    return false;
  }
  return true;
}
