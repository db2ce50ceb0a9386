import { decodeLogMessage } from "../bus/mod.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import { compareIds, hoarFrostAt } from "../protocol/mod.ts";
import type { GuildRooms } from "./guild_rooms.ts";
import type { DeliveryLimits, DeliveryStats } from "./log_delivery.ts";
import { logFrame, type WireEvent } from "./wire_event.ts";

/** How the relay batches. */
export interface RelayOptions extends DeliveryLimits {
  /**
   * Events of one guild arriving within this window after a flush are sent
   * together in the next one; an idle guild's first event goes out at once.
   */
  readonly windowMs: number;
  /**
   * Log frames per second the node aims to stay under. One event loop
   * writes about 10^5 WebSocket frames a second and a 2 KiB frame costs
   * about as much as a 200-byte one, so with many log spectators the window
   * widens until `spectators / window` fits this budget: more events per
   * frame instead of more frames.
   */
  readonly frameBudget: number;
}

interface GuildBuffer {
  pending: WireEvent[];
  timer: ReturnType<typeof setTimeout> | undefined;
  lastFlush: number;
}

/** Counters of the log stream (exported as metrics). */
export interface LogCounters {
  received: number;
  batches: number;
  frames: number;
  sent: number;
  held: number;
  dropped: number;
  malformed: number;
  slowClosed: number;
}

/**
 * Fans a guild's log events out to its spectators. Events are batched per
 * guild within a short window and serialised once per batch and
 * permission class (public only, or public and private), never per
 * connection; each connection's `LogDelivery` applies its own backpressure.
 * Private events never reach a connection without VIEW_PRIVATE_LOGS.
 */
export class LogRelay {
  readonly #rooms: GuildRooms;
  readonly #options: RelayOptions;
  readonly #log: Diagnostics;
  readonly #guilds = new Map<string, GuildBuffer>();
  #pumpTimer: ReturnType<typeof setInterval> | undefined;
  readonly counters: LogCounters = {
    received: 0,
    batches: 0,
    frames: 0,
    sent: 0,
    held: 0,
    dropped: 0,
    malformed: 0,
    slowClosed: 0,
  };

  constructor(rooms: GuildRooms, options: RelayOptions, log: Diagnostics) {
    this.#rooms = rooms;
    this.#options = options;
    this.#log = log;
  }

  /** The batching window in force: the configured one, widened by the frame budget. */
  get windowMs(): number {
    const budgetMs = (1000 * this.#rooms.logSpectators) / this.#options.frameBudget;
    return Math.max(this.#options.windowMs, budgetMs);
  }

  get limits(): DeliveryLimits {
    return this.#options;
  }

  /** A message from `guild.<id>.log.public|private`: `{"events": [LogEvent, ...]}`. */
  onMessage(guildId: string, privateTopic: boolean, body: string): void {
    const decoded = decodeLogMessage(body, guildId);
    if (!decoded.ok) {
      this.counters.malformed++;
      this.#log.warn("dropped a malformed log message", { guild: guildId, reason: decoded.reason });
      return;
    }
    this.counters.malformed += decoded.value.rejected;
    let buffer = this.#guilds.get(guildId);
    if (buffer === undefined) {
      this.#guilds.set(guildId, buffer = { pending: [], timer: undefined, lastFlush: 0 });
    }
    for (const e of decoded.value.events) {
      // Private when either the topic or the event says so: never leak on a mislabel.
      const isPrivate = privateTopic || e.private;
      const json = JSON.stringify(
        isPrivate && !e.private ? { ...e.value, private: true } : e.value,
      );
      buffer.pending.push({ id: e.id, json, private: isPrivate });
      this.counters.received++;
    }
    // A window under a millisecond means no batching: each bus message goes out as it comes.
    if (this.windowMs < 1) this.#flush(guildId);
    else this.#schedule(guildId, buffer);
  }

  #schedule(guildId: string, buffer: GuildBuffer): void {
    if (buffer.timer !== undefined || buffer.pending.length === 0) return;
    const wait = Math.max(0, buffer.lastFlush + this.windowMs - Date.now());
    buffer.timer = setTimeout(() => this.#flush(guildId), wait);
  }

  #flush(guildId: string): void {
    const buffer = this.#guilds.get(guildId);
    if (buffer === undefined) return;
    buffer.timer = undefined;
    buffer.lastFlush = Date.now();
    const events = buffer.pending;
    buffer.pending = [];
    if (events.length === 0) {
      this.#guilds.delete(guildId);
      return;
    }
    // Public and private topics may interleave; order the batch by id.
    if (!isSorted(events)) events.sort((a, b) => compareIds(a.id, b.id));
    this.counters.batches++;
    const publicEvents = events.filter((e) => !e.private);
    let allFrame: string | undefined;
    let publicFrame: string | undefined;
    const stats: DeliveryStats = { sent: 0, held: 0, dropped: 0 };
    let lagging = false;
    for (const member of this.#rooms.members(guildId)) {
      const delivery = member.logs;
      if (delivery === null) continue;
      const sent = stats.sent;
      if (delivery.includePrivate) {
        allFrame ??= logFrame(guildId, events);
        delivery.deliver(events, allFrame, stats);
      } else if (publicEvents.length > 0) {
        publicFrame ??= logFrame(guildId, publicEvents);
        delivery.deliver(publicEvents, publicFrame, stats);
      }
      if (stats.sent > sent) this.counters.frames++;
      lagging ||= delivery.lagging;
    }
    this.counters.sent += stats.sent;
    this.counters.held += stats.held;
    this.counters.dropped += stats.dropped;
    if (lagging) this.#startPump();
    // More may have arrived meanwhile; the next flush waits for the window.
    this.#schedule(guildId, buffer);
  }

  #startPump(): void {
    if (this.#pumpTimer !== undefined) return;
    this.#pumpTimer = setInterval(() => this.#pump(), 25);
  }

  #pump(): void {
    const now = Date.now();
    let anyLagging = false;
    for (const guildId of this.#rooms.guildIds()) {
      for (const member of this.#rooms.members(guildId)) {
        const delivery = member.logs;
        if (!delivery?.lagging) continue;
        anyLagging = delivery.pump(now) || anyLagging;
        if (delivery.closedSlow) this.counters.slowClosed++;
      }
    }
    if (!anyLagging) {
      clearInterval(this.#pumpTimer);
      this.#pumpTimer = undefined;
    }
  }

  /** Tells every log spectator that events may have been lost (the bus was down). */
  notifyOutage(): void {
    const until = hoarFrostAt(Date.now());
    for (const guildId of this.#rooms.guildIds()) {
      for (const member of this.#rooms.members(guildId)) {
        member.logs?.notifyGap(until, "bus_outage");
      }
    }
  }

  /** Stops timers; pending events are dropped. */
  shutdown(): void {
    clearInterval(this.#pumpTimer);
    this.#pumpTimer = undefined;
    for (const buffer of this.#guilds.values()) clearTimeout(buffer.timer);
    this.#guilds.clear();
  }
}

function isSorted(events: readonly WireEvent[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if (compareIds((events[i] as WireEvent).id, (events[i - 1] as WireEvent).id) <= 0) return false;
  }
  return true;
}
