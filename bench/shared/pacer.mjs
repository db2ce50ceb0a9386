/**
 * The open-loop publisher every fan-out step uses, in the server process
 * (baseline, embedded gateway, Socket.IO peer) or in its own process
 * (RabbitMQ): from `startAt`, every `tickMs` it publishes the events that
 * are due by then (`eventsPerSecond × elapsed`, so a late tick catches up),
 * spread round-robin over the guilds, one batch per guild per tick, each
 * event stamped with the time it is handed over (`bench_sent`) and with the
 * time the schedule made it due (`bench_due`: `startAt + n / rate`), so a
 * publisher that falls behind shows as delay against the schedule.
 *
 * @module
 */
import { eventJson, eventObject, IdSource, nowMs, roundMicros, SEQ_STEP } from "./log_events.mjs";

/**
 * @typedef {{
 *   step: number,
 *   startAt: number,
 *   durationMs: number,
 *   eventsPerSecond: number,
 *   guilds: string[],
 *   tickMs?: number,
 * }} LoadPlan
 * @typedef {{
 *   published: number[],
 *   total: number,
 *   startedAt: number,
 *   endedAt: number,
 *   ticks: number,
 *   maxTickLagMs: number,
 * }} LoadResult
 */

const ids = new IdSource();

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Runs one step. `emit(guildIndex, guildId, batch)` gets each tick's events
 * of one guild (serialised when `objects` is false, as objects otherwise)
 * and may return a promise, awaited before the next tick.
 * @template T
 * @param {LoadPlan} plan
 * @param {(guildIndex: number, guildId: string, batch: T[]) => unknown} emit
 * @param {{ objects?: boolean }} [options]
 * @returns {Promise<LoadResult>}
 */
export async function runOpenLoop(plan, emit, options = {}) {
  const tickMs = plan.tickMs ?? 5;
  const guilds = plan.guilds;
  const g = guilds.length;
  const total = Math.round((plan.eventsPerSecond * plan.durationMs) / 1000);
  const published = new Array(g).fill(0);
  const make = options.objects ? eventObject : eventJson;
  await sleep(plan.startAt - nowMs());
  const started = nowMs();
  let done = 0;
  let ticks = 0;
  let maxLag = 0;
  let next = started;
  /** @type {Array<Array<unknown>>} */
  const batches = guilds.map(() => []);
  while (done < total) {
    const now = nowMs();
    maxLag = Math.max(maxLag, now - next);
    const due = Math.min(total, Math.floor(((now - started) * plan.eventsPerSecond) / 1000) + 1);
    const sentAt = roundMicros(now);
    for (; done < due; done++) {
      const gi = done % g;
      const seq = plan.step * SEQ_STEP + published[gi]++;
      const dueAt = roundMicros(started + (done * 1000) / plan.eventsPerSecond);
      batches[gi].push(make(seq, sentAt, dueAt, ids.next(), guilds[gi]));
    }
    /** @type {Promise<unknown>[]} */
    const waits = [];
    for (let gi = 0; gi < g; gi++) {
      const batch = batches[gi];
      if (batch.length === 0) continue;
      batches[gi] = [];
      const r = emit(gi, guilds[gi], /** @type {T[]} */ (batch));
      if (r instanceof Promise) waits.push(r);
    }
    if (waits.length > 0) await Promise.all(waits);
    ticks++;
    next += tickMs;
    const ahead = next - nowMs();
    if (done < total) await sleep(ahead > 0 ? ahead : 0);
  }
  return {
    published,
    total: done,
    startedAt: started,
    endedAt: nowMs(),
    ticks,
    maxTickLagMs: Math.round(maxLag * 10) / 10,
  };
}
