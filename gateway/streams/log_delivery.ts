import type { Connection } from "../connection/connection.ts";
import { CloseCode, compareIds } from "../protocol/mod.ts";
import { logFrame, type WireEvent } from "./wire_event.ts";

/** Why events did not reach a connection. */
export type GapReason = "slow_consumer" | "bus_outage";

/** The id just before `id`: the end of a gap that `id` ends. */
function before(id: string): string {
  const n = BigInt(id);
  return String(n > 0n ? n - 1n : 0n);
}

/**
 * How long after a replay the live copy of a replayed event may still
 * arrive. A backend writes an event to its history before the bus has
 * delivered it, so the history a resume replays can hold events whose live
 * copies reach this node only after the replay went out.
 */
const REPLAY_ECHO_MS = 10_000;

/** Backpressure bounds of one connection's log stream. */
export interface DeliveryLimits {
  /** Above this many buffered bytes new events are held back and coalesced. */
  readonly softBytes: number;
  /** Above this many buffered bytes the connection is closed as a slow consumer. */
  readonly hardBytes: number;
  /** At most this many events are held per connection; beyond it they are dropped (a gap). */
  readonly maxHeld: number;
  /** Lagging continuously for this long closes the connection as a slow consumer. */
  readonly slowCloseMs: number;
}

/** What happened to events handed to `deliver`. */
export interface DeliveryStats {
  sent: number;
  held: number;
  dropped: number;
}

/**
 * The log stream of one spectating connection: in order, exactly once,
 * within a bounded budget. It starts `replaying` when the connection
 * resumes with `since` (live events are held until the replay is out),
 * otherwise `live`. A connection that cannot keep up first has its events
 * held and sent coalesced; past `maxHeld` they are dropped and it is told
 * the range (`log_gap`) once it drains; past `hardBytes` or `slowCloseMs`
 * it is closed with 4009 and may reconnect and resume.
 */
export class LogDelivery {
  readonly connection: Connection;
  readonly guildId: string;
  readonly includePrivate: boolean;
  readonly #limits: DeliveryLimits;
  #replaying: boolean;
  #held: WireEvent[] = [];
  /** The newest event id this connection was sent (or told it missed). */
  #lastId: string | null = null;
  #gap: { after: string | null; until: string; reason: GapReason } | null = null;
  /**
   * The bus lost messages: a gap is owed, from the last event sent before
   * the loss up to just before the first event minted since the bus came
   * back (`freshFrom`).
   */
  #outage: { after: string | null; freshFrom: string } | null = null;
  #laggingSince: number | null = null;
  /** The ids a replay sent, until `until`: their live copies are not sent again. */
  #replayed: { readonly ids: ReadonlySet<string>; readonly until: number } | null = null;
  /** Set once this delivery closed its connection as a slow consumer. */
  closedSlow = false;

  constructor(
    options: {
      connection: Connection;
      guildId: string;
      includePrivate: boolean;
      limits: DeliveryLimits;
      replaying: boolean;
    },
  ) {
    this.connection = options.connection;
    this.guildId = options.guildId;
    this.includePrivate = options.includePrivate;
    this.#limits = options.limits;
    this.#replaying = options.replaying;
  }

  /** True while events are held back (replay, or a lagging socket). */
  get lagging(): boolean {
    return this.#laggingSince !== null;
  }

  get lastId(): string | null {
    return this.#lastId;
  }

  get heldCount(): number {
    return this.#held.length;
  }

  /**
   * Hands over a batch (ascending ids, already filtered for this
   * connection's class) with its frame serialised once for every
   * connection of that class.
   */
  deliver(events: readonly WireEvent[], frame: string, stats: DeliveryStats): void {
    if (events.length === 0 || this.connection.closed) return;
    if (this.#replayed !== null) {
      if (Date.now() > this.#replayed.until) {
        this.#replayed = null;
      } else {
        const replayed = this.#replayed.ids;
        const unsent = events.filter((e) => !replayed.has(e.id));
        if (unsent.length === 0) return;
        if (unsent.length < events.length) {
          events = unsent;
          frame = logFrame(this.guildId, unsent);
        }
      }
    }
    if (this.#outage !== null) {
      const outage = this.#outage;
      const fresh = events.findIndex((e) => compareIds(e.id, outage.freshFrom) >= 0);
      // Only older events so far: a publisher sending what it held through the outage. They are
      // inside the gap still owed, so they go out as they are; the gap waits for a fresh event.
      if (fresh === -1) return this.#pass(events, frame, stats);
      if (fresh > 0) {
        const stale = events.slice(0, fresh);
        this.#pass(stale, logFrame(this.guildId, stale), stats);
        events = events.slice(fresh);
        frame = logFrame(this.guildId, events);
      }
      this.#closeOutage(before((events[0] as WireEvent).id), stats);
    }
    this.#pass(events, frame, stats);
  }

  /** Sends a batch, or holds it while replaying or lagging. */
  #pass(events: readonly WireEvent[], frame: string, stats: DeliveryStats): void {
    if (this.#replaying || this.#laggingSince !== null || this.#overSoft()) {
      this.#hold(events, stats);
      return;
    }
    this.connection.sendText(frame);
    this.#lastId = (events[events.length - 1] as WireEvent).id;
    stats.sent += events.length;
  }

  #overSoft(): boolean {
    return this.connection.transport.bufferedAmount > this.#limits.softBytes;
  }

  #hold(events: readonly WireEvent[], stats: DeliveryStats): void {
    if (!this.#replaying && this.#laggingSince === null) this.#laggingSince = Date.now();
    for (const e of events) this.#held.push(e);
    stats.held += events.length;
    if (this.#held.length > this.#limits.maxHeld) {
      // Drop the oldest held events and remember the range for a log_gap notice.
      const drop = this.#held.splice(0, this.#held.length - this.#limits.maxHeld);
      const until = (drop[drop.length - 1] as WireEvent).id;
      this.#gap = { after: this.#gap?.after ?? this.#lastId, until, reason: "slow_consumer" };
      this.#lastId = until;
      stats.dropped += drop.length;
    }
  }

  /**
   * Called periodically while lagging: sends the gap notice and the held
   * events once the socket has drained, or closes a hopeless consumer.
   * Returns true while still lagging.
   */
  pump(now: number): boolean {
    if (this.connection.closed) return false;
    if (this.#replaying || this.#laggingSince === null) return this.#laggingSince !== null;
    const buffered = this.connection.transport.bufferedAmount;
    if (
      buffered > this.#limits.hardBytes || now - this.#laggingSince > this.#limits.slowCloseMs
    ) {
      this.connection.log.info("closing slow consumer", { buffered, held: this.#held.length });
      this.closedSlow = true;
      this.#laggingSince = null;
      this.connection.terminate(CloseCode.slowConsumer, "slow consumer");
      this.#held = [];
      return false;
    }
    if (buffered > this.#limits.softBytes) return true;
    this.#flushHeld();
    this.#laggingSince = null;
    return false;
  }

  #flushHeld(): void {
    if (this.#gap !== null) {
      this.connection.send({
        _event: "log_gap",
        guild_id: this.guildId,
        after: this.#gap.after,
        until: this.#gap.until,
        reason: this.#gap.reason,
      });
      this.#gap = null;
    }
    if (this.#held.length === 0) return;
    const events = this.#held;
    this.#held = [];
    this.connection.sendText(logFrame(this.guildId, events));
    this.#lastId = (events[events.length - 1] as WireEvent).id;
  }

  /**
   * Ends a replay: sends `history` (ascending, after `since`) in bounded
   * frames, then every held live event newer than the replay, exactly once.
   * Live copies of replayed events that arrive later (`REPLAY_ECHO_MS`) are
   * not sent again.
   */
  finishReplay(history: readonly WireEvent[], options: { frameEvents?: number } = {}): void {
    const size = options.frameEvents ?? 500;
    if (history.length > 0) {
      this.#replayed = {
        ids: new Set(history.map((e) => e.id)),
        until: Date.now() + REPLAY_ECHO_MS,
      };
    }
    for (let i = 0; i < history.length; i += size) {
      const part = history.slice(i, i + size);
      this.connection.sendText(logFrame(this.guildId, part));
      this.#lastId = (part[part.length - 1] as WireEvent).id;
    }
    const last = this.#lastId;
    const fresh = last === null ? this.#held : this.#held.filter((e) => compareIds(e.id, last) > 0);
    this.#held = [];
    this.#replaying = false;
    if (fresh.length > 0) {
      this.connection.sendText(logFrame(this.guildId, fresh));
      this.#lastId = (fresh[fresh.length - 1] as WireEvent).id;
    }
  }

  /**
   * The bus lost its connection and is back: whatever was published while it
   * was away never reached this node. The gap is told exactly before the
   * first fresh event this connection gets, one minted at or after
   * `freshFrom` (the moment the bus came back): after the last event it was
   * sent before the loss, up to just before that fresh one, so backfilling
   * that range from the history loses nothing. Older events that arrive
   * first (a publisher sending what it held through the outage) go out as
   * they come; they lie inside the gap, and the events minted next to them
   * may never have been published at all.
   */
  openOutage(freshFrom: string): void {
    this.#outage = { after: this.#outage?.after ?? this.#lastId, freshFrom };
  }

  /** True while an outage gap is owed (no fresh event has come since the bus came back). */
  get outagePending(): boolean {
    return this.#outage !== null;
  }

  /**
   * Tells an owed outage gap now, ending at `until` (the node's clock when it
   * gave up waiting for a next event: every event published before that is
   * in the window, and one that arrives later anyway is a harmless repeat).
   */
  closeOutage(until: string): void {
    if (this.#outage !== null) this.#closeOutage(until, { sent: 0, held: 0, dropped: 0 });
  }

  #closeOutage(until: string, stats: DeliveryStats): void {
    const after = this.#outage?.after ?? this.#lastId;
    this.#outage = null;
    if (this.connection.closed) return;
    if (this.#replaying || this.#laggingSince !== null) {
      // Behind anyway: the held events are older than the hole; drop them into one gap that the
      // client backfills whole from the history, and go on from there.
      stats.dropped += this.#held.length;
      this.#held = [];
      this.#gap = { after: this.#gap?.after ?? after, until, reason: "bus_outage" };
      this.#lastId = until;
      return;
    }
    this.connection.send({
      _event: "log_gap",
      guild_id: this.guildId,
      after,
      until,
      reason: "bus_outage",
    });
    this.#lastId = until;
  }
}
