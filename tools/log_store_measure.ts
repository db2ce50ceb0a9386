/**
 * Why the log viewer keeps its own store: the cost of taking a busy log's
 * pushes into `LogStore` (a capacity-bounded, filter-indexed buffer) against
 * the same events kept as Redux state (an immutable array copied per push,
 * as a reducer must). Prints milliseconds per 1,000 pushes of 5 events into
 * a log holding 20,000 (the viewer's default). `deno run -A tools/log_store_measure.ts`
 *
 * @module
 */
import type { LogEvent } from "../client/mod.ts";
import { LogStore } from "../lib/dashboard/log_store.ts";

const HELD = 20_000;
const PUSHES = 1_000;
const BATCH = 5;
const BASE = 1_576_000_000_000_000_000n;

function event(n: number): LogEvent {
  return {
    id: String(BASE + BigInt(n)),
    timestamp: 1_700_000_000_000 + n,
    type: 2003,
    origin: 1,
    guild_id: "1",
    content: `message ${n}`,
    private: false,
  };
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const seed = Array.from({ length: HELD }, (_, i) => event(i));
const batches = Array.from(
  { length: PUSHES },
  (_, b) => Array.from({ length: BATCH }, (_, i) => event(HELD + b * BATCH + i)),
);

const results: Record<string, number[]> = { LogStore: [], "Redux state": [] };
for (let round = 0; round < 5; round++) {
  const store = new LogStore({ capacity: HELD });
  store.add(seed);
  results.LogStore!.push(time(() => {
    for (const batch of batches) store.add(batch);
  }));
  // What a reducer does per log_other: a new array with the batch, the oldest cut off.
  let state: readonly LogEvent[] = seed;
  results["Redux state"]!.push(time(() => {
    for (const batch of batches) {
      const next = [...state, ...batch];
      state = next.length > HELD ? next.slice(next.length - HELD) : next;
    }
  }));
}
const lines = Object.entries(results).map(([name, runs]) => {
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)]!;
  return `${name}: ${
    median.toFixed(1)
  } ms per ${PUSHES} pushes of ${BATCH} into ${HELD} (median of 5)`;
});
await Deno.stdout.write(new TextEncoder().encode(lines.join("\n") + "\n"));
