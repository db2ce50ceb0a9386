import { decodeLogMessage } from "../bus/mod.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import { compareIds, hoarFrostAt } from "../protocol/mod.ts";
import type { GuildRooms } from "./guild_rooms.ts";
import type { DeliveryLimits, DeliveryStats, LogDelivery } from "./log_delivery.ts";
import { logFrame, type WireEvent } from "./wire_event.ts";

/** How long after the bus came back a quiet guild's spectators wait to be told of the gap. */
const OUTAGE_WAIT_MS = 1000;

/** How the relay batches. */
export interface RelayOptions extends DeliveryLimits {
  /**
   * A guild is flushed at most once per window: its first message in a
   * window goes out at once, later ones together at the window's end.
   * Under a millisecond: every bus message goes out as it comes.
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
 * guild and serialised once per batch and permission class (public only,
 * or public and private), never per connection; each connection's
 * `LogDelivery` applies its own backpressure. Private events never reach a
 * connection without VIEW_PRIVATE_LOGS.
 *
 * Batching runs in node-wide periods at least `windowMs` long: a guild is
 * flushed at most once per period. The first message of a guild in a
 * period goes out at once (an idle guild adds no delay); later ones wait
 * for the period's end, where one timer flushes every guild that is
 * waiting. So a message costs the same however many guilds the node
 * watches: no timer per guild, one per period for the whole node. A period
 * starts when that timer actually fires, not on a fixed grid: when the
 * event loop runs late, periods stretch and batches grow, so an overloaded
 * node sends fewer, larger frames instead of keeping its frame rate.
 */
export class LogRelay {
  readonly #rooms: GuildRooms;
  readonly #options: RelayOptions;
  readonly #log: Diagnostics;
  /** When the current period started (`performance.now()`); guilds flushed in it are in `#flushed`. */
  #periodStart = -Infinity;
  readonly #flushed = new Set<string>();
  /** Guilds waiting for the next boundary, with their events in arrival order. */
  #waiting = new Map<string, WireEvent[]>();
  #spare = new Map<string, WireEvent[]>();
  #tick: ReturnType<typeof setTimeout> | undefined;
  /** Deliveries holding events back, pumped until they drain (never a scan of every room). */
  readonly #lagging = new Set<LogDelivery>();
  #pumpTimer: ReturnType<typeof setInterval> | undefined;
  #outageTimer: ReturnType<typeof setTimeout> | undefined;
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
    const { events: incoming, rejected } = decoded.value;
    this.counters.malformed += rejected;
    if (incoming.length === 0) return;
    this.counters.received += incoming.length;
    const waiting = this.#waiting.get(guildId);
    // Already waiting for the boundary: append, so the guild's order holds.
    const events = waiting ?? [];
    for (const e of incoming) {
      // Private when either the topic or the event says so: never leak on a mislabel.
      const isPrivate = privateTopic || e.private;
      const json = JSON.stringify(
        isPrivate && !e.private ? { ...e.value, private: true } : e.value,
      );
      events.push({ id: e.id, json, private: isPrivate });
    }
    if (waiting !== undefined) return;
    const windowMs = this.windowMs;
    // A window under a millisecond means no batching: each bus message goes out as it comes.
    if (windowMs < 1) {
      this.#send(guildId, events);
      return;
    }
    const now = performance.now();
    this.#enterPeriod(now, windowMs);
    if (!this.#flushed.has(guildId)) {
      this.#flushed.add(guildId);
      this.#send(guildId, events);
      return;
    }
    this.#waiting.set(guildId, events);
    if (this.#tick === undefined) {
      const end = this.#periodStart + windowMs;
      this.#tick = setTimeout(() => this.#onTick(), Math.max(0, Math.ceil(end - now)));
    }
  }

  /** Starts a new period at `now` when the current one has run its length. */
  #enterPeriod(now: number, windowMs: number): void {
    if (now < this.#periodStart + windowMs) return;
    this.#periodStart = now;
    this.#flushed.clear();
  }

  /** The period's end: a new one starts, and every waiting guild is flushed in the order it started waiting. */
  #onTick(): void {
    this.#tick = undefined;
    this.#enterPeriod(performance.now(), this.windowMs);
    // Swapped out first: whatever happens in a send, no guild is left waiting without a timer.
    const waiting = this.#waiting;
    this.#waiting = this.#spare;
    this.#spare = waiting;
    try {
      for (const [guildId, events] of waiting) {
        this.#flushed.add(guildId);
        this.#send(guildId, events);
      }
    } finally {
      waiting.clear();
    }
  }

  /** Serialises a batch once per permission class and hands it to every spectator. */
  #send(guildId: string, events: WireEvent[]): void {
    // Public and private topics may interleave; order the batch by id.
    if (!isSorted(events)) events.sort((a, b) => compareIds(a.id, b.id));
    this.counters.batches++;
    let publicEvents: WireEvent[] = events;
    for (const e of events) {
      if (e.private) {
        publicEvents = events.filter((x) => !x.private);
        break;
      }
    }
    let allFrame: string | undefined;
    let publicFrame: string | undefined;
    const stats = this.#stats;
    stats.sent = 0;
    stats.held = 0;
    stats.dropped = 0;
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
      if (delivery.lagging) this.#lagging.add(delivery);
    }
    this.counters.sent += stats.sent;
    this.counters.held += stats.held;
    this.counters.dropped += stats.dropped;
    if (this.#lagging.size > 0) this.#startPump();
  }

  /** Reused by every flush: the counts of one `#send`. */
  readonly #stats: DeliveryStats = { sent: 0, held: 0, dropped: 0 };

  #startPump(): void {
    if (this.#pumpTimer !== undefined) return;
    this.#pumpTimer = setInterval(() => this.#pump(), 25);
  }

  #pump(): void {
    const now = Date.now();
    for (const delivery of this.#lagging) {
      // A connection that left the room (or switched guild) drops what it held for it.
      if (this.#rooms.memberOf(delivery.connection)?.logs !== delivery) {
        this.#lagging.delete(delivery);
        continue;
      }
      const still = delivery.pump(now);
      if (delivery.closedSlow) this.counters.slowClosed++;
      if (!still) this.#lagging.delete(delivery);
    }
    if (this.#lagging.size === 0) {
      clearInterval(this.#pumpTimer);
      this.#pumpTimer = undefined;
    }
  }

  /**
   * The bus is back after losing its connection (called before any new
   * message arrives): every log spectator is owed a gap, told exactly before
   * its next event minted since then. For a guild that stays quiet, the gap
   * is told after `OUTAGE_WAIT_MS`, up to that moment.
   */
  busResumed(): void {
    const freshFrom = hoarFrostAt(Date.now());
    for (const guildId of this.#rooms.guildIds()) {
      for (const member of this.#rooms.members(guildId)) member.logs?.openOutage(freshFrom);
    }
    clearTimeout(this.#outageTimer);
    this.#outageTimer = setTimeout(() => {
      this.#outageTimer = undefined;
      const until = hoarFrostAt(Date.now());
      for (const guildId of this.#rooms.guildIds()) {
        for (const member of this.#rooms.members(guildId)) member.logs?.closeOutage(until);
      }
    }, OUTAGE_WAIT_MS);
  }

  /** Stops timers; pending events are dropped. */
  shutdown(): void {
    clearTimeout(this.#outageTimer);
    clearInterval(this.#pumpTimer);
    this.#pumpTimer = undefined;
    clearTimeout(this.#tick);
    this.#tick = undefined;
    this.#waiting.clear();
    this.#flushed.clear();
    this.#lagging.clear();
  }
}

function isSorted(events: readonly WireEvent[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if (compareIds((events[i] as WireEvent).id, (events[i - 1] as WireEvent).id) <= 0) return false;
  }
  return true;
}
