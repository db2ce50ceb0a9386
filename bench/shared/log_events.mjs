/**
 * The log events every system under test carries, shared by the Deno
 * publishers and the Node (Socket.IO) peer so that all of them send the same
 * bytes: LogEvent-shaped JSON of about 340 bytes whose first three fields are
 * for the benchmark:
 *
 * - `bench_seq`: `step * SEQ_STEP + n`, n counting from 0 per guild and step,
 *   so a receiver can tell the step, count a contiguous batch from its first
 *   and last event, and see holes;
 * - `bench_sent`: the publish time, epoch milliseconds with microseconds
 *   (`performance.timeOrigin + performance.now()`), compared by receivers on
 *   the same machine;
 * - `bench_due`: when the open-loop schedule said the event was due (the
 *   same clock). A publisher that falls behind stamps a later `bench_sent`
 *   but keeps `bench_due`, so latency against the schedule shows an
 *   overloaded system as delay instead of hiding it.
 *
 * The rest is a `MessageSend` LogEvent (gateway/protocol/log_event.ts): the
 * gateway passes unknown fields through untouched.
 *
 * @module
 */

/** Sequence numbers of step `s` are `s * SEQ_STEP + n`. */
export const SEQ_STEP = 1e9;

/** The wall clock with sub-millisecond resolution, the same in Deno and Node. */
export function nowMs() {
  return performance.timeOrigin + performance.now();
}

const CHANNELS = ["342234003794825301", "342234003794825302", "342234003794825303"];
const AGENTS = [
  "700794554307317769",
  "405016269205536769",
  "245880649293103108",
  "815499199956127746",
];
/** Phrases padded to one length, so every event has the same size. */
const PHRASES = [
  "anyone up for a game tonight?",
  "that patch broke my build again",
  "check the pinned messages first",
  "who is streaming later on?",
  "thanks for the help earlier",
  "meeting moved to 8pm, see the calendar",
].map((p) => p.padEnd(38, "."));

/** Makes increasing 19-digit decimal ids (like hoar frosts) for one publisher. */
export class IdSource {
  /** @param {number} [now] */
  constructor(now = Date.now()) {
    // 7 leading digits from the clock, then a 12-digit counter: ids of one
    // source sort by the gateway's `newer` (same length, lexicographic).
    this.prefix = String(1_000_000 + (Math.floor(now / 1000) % 9_000_000));
    this.counter = 0;
  }

  /** @returns {string} */
  next() {
    this.counter++;
    return this.prefix + String(this.counter).padStart(12, "0");
  }
}

/**
 * One event as an object (what a Socket.IO server emits).
 * @param {number} seq
 * @param {number} sentAt
 * @param {number} dueAt
 * @param {string} id
 * @param {string} guildId
 */
export function eventObject(seq, sentAt, dueAt, id, guildId) {
  const k = seq % 12;
  return {
    bench_seq: seq,
    bench_sent: sentAt,
    bench_due: dueAt,
    id,
    timestamp: Math.floor(sentAt),
    type: 2003,
    origin: 1,
    guild_id: guildId,
    channel_id: CHANNELS[k % 3],
    agent_id: AGENTS[k % 4],
    agent_type: 1,
    content: PHRASES[k % 6],
    private: false,
  };
}

/**
 * The same event serialised, byte for byte `JSON.stringify(eventObject(...))`,
 * built by concatenation (cheap enough for an in-process publisher).
 * @param {number} seq
 * @param {number} sentAt
 * @param {number} dueAt
 * @param {string} id
 * @param {string} guildId
 * @returns {string}
 */
export function eventJson(seq, sentAt, dueAt, id, guildId) {
  const k = seq % 12;
  const channel = CHANNELS[k % 3];
  const agent = AGENTS[k % 4];
  return `{"bench_seq":${seq},"bench_sent":${sentAt},"bench_due":${dueAt},"id":"${id}","timestamp":${
    Math.floor(sentAt)
  },"type":2003,"origin":1,"guild_id":"${guildId}","channel_id":"${channel}","agent_id":"${agent}","agent_type":1,"content":"${
    PHRASES[k % 6]
  }","private":false}`;
}

/**
 * Rounds a time to microseconds, so its decimal form stays short.
 * @param {number} ms
 */
export function roundMicros(ms) {
  return Math.round(ms * 1000) / 1000;
}

/**
 * The gateway's wire frame for a batch of serialised events (what the bare
 * baseline sends, one event per frame).
 * @param {string} guildId
 * @param {string[]} events
 */
export function logFrame(guildId, events) {
  return `{"_event":"log_other","guild_id":"${guildId}","events":[${events.join(",")}]}`;
}

/**
 * Guild ids of a scenario: the Big Guild for one guild, otherwise
 * synthetic ids (the staff user may spectate any guild id).
 * @param {number} count
 * @returns {string[]}
 */
export function scenarioGuilds(count) {
  if (count === 1) return ["342234003794825219"];
  const out = [];
  for (let i = 0; i < count; i++) out.push(String(800000000000000000n + BigInt(i * 4194304)));
  return out;
}
