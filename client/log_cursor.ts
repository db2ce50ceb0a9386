// This module is browser-compatible.
import { compareIds, type ServerFrameOf } from "./protocol/mod.ts";

/**
 * The newest log event id seen per guild: the resume point of the next
 * spectate with logs. It only moves forward, so events replayed twice (a
 * resume overlapping what arrived live) are recognised and dropped.
 */
export class LogCursor {
  readonly #last = new Map<string, string>();

  /** The newest id seen for a guild. */
  last(guildId: string): string | undefined {
    return this.#last.get(guildId);
  }

  /** Moves a guild's resume point forward to `id` (never back). */
  note(guildId: string, id: string): void {
    const last = this.#last.get(guildId);
    if (last === undefined || compareIds(id, last) > 0) this.#last.set(guildId, id);
  }

  /** The frame without events already seen, noting the newest; null when nothing is new. */
  fresh(frame: ServerFrameOf<"log_other">): ServerFrameOf<"log_other"> | null {
    // Ids of one guild only grow; anything not newer is a replay already shown.
    let last = this.#last.get(frame.guild_id);
    const events = frame.events.filter((event) => {
      if (last !== undefined && compareIds(event.id, last) <= 0) return false;
      last = event.id;
      return true;
    });
    if (last !== undefined) this.#last.set(frame.guild_id, last);
    if (events.length === 0) return null;
    return events.length === frame.events.length ? frame : { ...frame, events };
  }
}
