/**
 * Receiver-side accounting of one fan-out step, shared by every receiver
 * (the lean Deno one for all systems, and the official Socket.IO client's):
 * events and frames per connection and in the measurement window, holes
 * and duplicates in each connection's sequence, and the latency of every
 * event on every connection, twice: against its publish time
 * (`bench_sent`) and against the schedule (`bench_due`).
 *
 * A frame is read without a JSON parser: the events' benchmark fields come
 * first and in a fixed order, so one `indexOf` per event finds them and
 * their digits are read in place (`scanFrame`). The same scan reads the
 * gateway's and the baseline's `log_other` frames and Socket.IO's
 * `42["log_other",{...}]` packets.
 *
 * @module
 */
import { Histogram } from "./histogram.mjs";
import { SEQ_STEP } from "./log_events.mjs";

/**
 * @typedef {{ step: number, t0: number, warmMs: number, measureMs: number }} StepPlan
 * @typedef {{ step: number, last: number }} ConnState
 */

export class Recorder {
  constructor() {
    /** @type {StepPlan | null} */
    this.plan = null;
    this.reset();
  }

  reset() {
    this.frames = 0;
    this.events = 0;
    this.windowFrames = 0;
    this.windowEvents = 0;
    this.stale = 0;
    this.holes = 0;
    this.duplicates = 0;
    this.gaps = 0;
    this.noncontiguous = 0;
    this.firstRecv = 0;
    this.lastRecv = 0;
    this.hist = new Histogram();
    this.late = new Histogram();
    this.windowStart = 0;
    this.windowEnd = 0;
    this.sentFrom = 0;
    this.sentTo = 0;
  }

  /**
   * Starts counting for a step; frames of other steps are counted as stale.
   * @param {StepPlan} plan
   */
  arm(plan) {
    this.plan = plan;
    this.reset();
    this.windowStart = plan.t0 + plan.warmMs;
    this.windowEnd = this.windowStart + plan.measureMs;
    // Latency is kept for events due inside the window.
    this.sentFrom = this.windowStart;
    this.sentTo = this.windowEnd;
  }

  /** @returns {ConnState} */
  static conn() {
    return { step: -1, last: -1 };
  }

  /**
   * A frame of `count` events whose sequence numbers run from `first` to `last`.
   * @param {ConnState} conn
   * @param {number} first
   * @param {number} last
   * @param {number} now
   * @param {number} [count]
   */
  frame(conn, first, last, now, count) {
    const plan = this.plan;
    const step = Math.floor(first / SEQ_STEP);
    if (plan === null || step !== plan.step) {
      this.stale++;
      return false;
    }
    const n = count ?? last - first + 1;
    if (count !== undefined && count !== last - first + 1) this.noncontiguous++;
    if (conn.step !== step) {
      conn.step = step;
      conn.last = step * SEQ_STEP - 1;
    }
    if (first > conn.last + 1) this.holes += first - conn.last - 1;
    else if (first <= conn.last) this.duplicates += conn.last - first + 1;
    if (last > conn.last) conn.last = last;
    this.frames++;
    this.events += n;
    if (now >= this.windowStart && now < this.windowEnd) {
      this.windowFrames++;
      this.windowEvents += n;
    }
    if (this.firstRecv === 0) this.firstRecv = now;
    this.lastRecv = now;
    return true;
  }

  /**
   * One event received at `now`: published at `sentAt`, due at `dueAt`.
   * Only events due inside the measurement window count.
   * @param {number} sentAt
   * @param {number} dueAt
   * @param {number} now
   */
  latency(sentAt, dueAt, now) {
    if (dueAt >= this.sentFrom && dueAt < this.sentTo) {
      this.hist.add(now - sentAt);
      this.late.add(now - dueAt);
    }
  }

  gap() {
    this.gaps++;
  }

  snapshot() {
    return {
      step: this.plan?.step ?? -1,
      frames: this.frames,
      events: this.events,
      windowFrames: this.windowFrames,
      windowEvents: this.windowEvents,
      stale: this.stale,
      holes: this.holes,
      duplicates: this.duplicates,
      gaps: this.gaps,
      noncontiguous: this.noncontiguous,
      firstRecv: this.firstRecv,
      lastRecv: this.lastRecv,
      latency: this.hist.toJSON(),
      schedule: this.late.toJSON(),
    };
  }
}

const SEQ_KEY = '"bench_seq":';
const SENT_KEY = '"bench_sent":';
const DUE_KEY = '"bench_due":';

/** Where `numberAt` stopped: the index after the number. */
let scanEnd = 0;

/**
 * Reads the decimal number (digits, an optional fraction) starting at
 * `from` without allocating; sets `scanEnd`.
 * @param {string} text
 * @param {number} from
 */
function numberAt(text, from) {
  let i = from;
  let value = 0;
  let c = text.charCodeAt(i);
  while (c >= 48 && c <= 57) {
    value = value * 10 + (c - 48);
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    let scale = 0.1;
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      value += (c - 48) * scale;
      scale /= 10;
      c = text.charCodeAt(++i);
    }
  }
  scanEnd = i;
  return value;
}

/**
 * Calls `each(sentAt)` for every event's `bench_sent` in a serialised frame.
 * @param {string} text
 * @param {(sentAt: number) => void} each
 */
export function forEachSent(text, each) {
  let at = text.indexOf(SENT_KEY);
  while (at >= 0) {
    each(numberAt(text, at + SENT_KEY.length));
    at = text.indexOf(SENT_KEY, scanEnd);
  }
}

/**
 * Counts a text frame of log events and records every event's latency:
 * the gateway's and the baseline's `log_other`, or a Socket.IO packet
 * carrying one. Each event starts `{"bench_seq":N,"bench_sent":T,"bench_due":D`.
 * @param {Recorder} recorder
 * @param {ConnState} conn
 * @param {string} text
 * @param {number} now
 */
export function scanFrame(recorder, conn, text, now) {
  let at = text.indexOf(SEQ_KEY);
  if (at < 0) {
    if (text.includes('"_event":"log_gap"') || text.includes('"log_gap"')) recorder.gap();
    return;
  }
  const first = numberAt(text, at + SEQ_KEY.length);
  let last = first;
  let count = 0;
  // The first pass counts; latency is recorded only when the frame is of the armed step.
  while (at >= 0) {
    last = numberAt(text, at + SEQ_KEY.length);
    count++;
    at = text.indexOf(SEQ_KEY, scanEnd);
  }
  if (!recorder.frame(conn, first, last, now, count)) return;
  at = text.indexOf(SENT_KEY);
  while (at >= 0) {
    const sent = numberAt(text, at + SENT_KEY.length);
    // `"bench_due":` follows right after `,`.
    const due = numberAt(text, scanEnd + 1 + DUE_KEY.length);
    recorder.latency(sent, due, now);
    at = text.indexOf(SENT_KEY, scanEnd);
  }
}
