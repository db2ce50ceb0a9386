/**
 * Receiver-side accounting of one fan-out step, shared by the Deno receivers
 * and the Socket.IO receivers: events and frames per connection and in the
 * measurement window, holes and duplicates in each connection's sequence,
 * and latency (publish → receipt) on the sampled connections.
 *
 * Counting never parses JSON on unsampled connections: a log frame carries a
 * contiguous run of one guild's sequence numbers, so its first and last
 * `bench_seq` give the count (`scanFrame`). Sampled connections read every
 * event's `bench_sent`.
 *
 * @module
 */
import { Histogram } from "./histogram.mjs";
import { SEQ_STEP } from "./log_events.mjs";

/**
 * @typedef {{ step: number, t0: number, warmMs: number, measureMs: number }} StepPlan
 * @typedef {{ step: number, last: number, sampled: boolean }} ConnState
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
    // Latency is kept for events published inside the window.
    this.sentFrom = this.windowStart;
    this.sentTo = this.windowEnd;
  }

  /** @returns {ConnState} */
  static conn(sampled = false) {
    return { step: -1, last: -1, sampled };
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
   * One event's publish time seen on a sampled connection.
   * @param {number} sentAt
   * @param {number} now
   */
  latency(sentAt, now) {
    if (sentAt >= this.sentFrom && sentAt < this.sentTo) this.hist.add(now - sentAt);
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
    };
  }
}

const SEQ_KEY = '"bench_seq":';
const SENT_KEY = '"bench_sent":';

/**
 * Reads a number that starts at `from` and ends before the next `,` or `}`.
 * @param {string} text
 * @param {number} from
 */
function numberAt(text, from) {
  let end = from;
  for (;;) {
    const c = text.charCodeAt(end);
    if (c === 44 || c === 125 || Number.isNaN(c)) break; // , }
    end++;
  }
  return Number(text.slice(from, end));
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
    at = text.indexOf(SENT_KEY, at + SENT_KEY.length);
  }
}

/**
 * Counts a text log frame (the gateway's and the baseline's `log_other`):
 * first and last sequence number by searching from both ends, and on
 * sampled connections every event's latency.
 * @param {Recorder} recorder
 * @param {ConnState} conn
 * @param {string} text
 * @param {number} now
 */
export function scanFrame(recorder, conn, text, now) {
  const firstAt = text.indexOf(SEQ_KEY);
  if (firstAt < 0) {
    if (text.startsWith('{"_event":"log_gap"')) recorder.gap();
    return;
  }
  const first = numberAt(text, firstAt + SEQ_KEY.length);
  const lastAt = text.lastIndexOf(SEQ_KEY);
  const last = lastAt === firstAt ? first : numberAt(text, lastAt + SEQ_KEY.length);
  if (!conn.sampled) {
    recorder.frame(conn, first, last, now);
    return;
  }
  let count = 0;
  let at = text.indexOf(SENT_KEY, firstAt);
  /** @type {number[]} */
  const sent = [];
  while (at >= 0) {
    sent.push(numberAt(text, at + SENT_KEY.length));
    count++;
    at = text.indexOf(SENT_KEY, at + SENT_KEY.length);
  }
  if (recorder.frame(conn, first, last, now, count)) {
    for (const s of sent) recorder.latency(s, now);
  }
}
