import assert from "node:assert/strict";
import { Backoff, decorrelatedDelay } from "./backoff.ts";

Deno.test("decorrelatedDelay draws between base and three times the previous delay, capped", () => {
  assert.equal(decorrelatedDelay(100, 100, 10_000, () => 0), 100);
  assert.equal(decorrelatedDelay(100, 100, 10_000, () => 0.5), 200);
  assert.equal(decorrelatedDelay(100, 100, 10_000, () => 1), 300);
  assert.equal(decorrelatedDelay(5_000, 100, 2_000, () => 1), 2_000, "capped");
  // A broken source cannot push the delay outside [base, cap].
  assert.equal(decorrelatedDelay(100, 100, 10_000, () => -3), 100);
  assert.equal(decorrelatedDelay(100, 100, 10_000, () => 7), 300);
  assert.equal(decorrelatedDelay(100, 100, 10_000, () => NaN), 300);
});

Deno.test("Backoff counts attempts, stays within bounds and starts over on reset", () => {
  const draws = [0.1, 0.9, 0.5, 0.999, 0.3, 0.7, 0.2, 0.6];
  let i = 0;
  const backoff = new Backoff({ baseMs: 10, maxMs: 100, random: () => draws[i++] as number });
  let previous = 10;
  const delays = draws.map(() => backoff.next());
  assert.equal(backoff.attempt, draws.length);
  delays.forEach((delay, n) => {
    const ceiling = Math.min(100, previous * 3);
    assert.ok(delay >= 10 && delay <= ceiling, `delay ${n} = ${delay} outside [10, ${ceiling}]`);
    previous = delay;
  });
  assert.ok(new Set(delays).size > 1, "jittered, not constant");
  backoff.reset();
  assert.equal(backoff.attempt, 0);
  i = 0;
  assert.equal(backoff.next(), 12, "the first window again: 10 + 0.1 × 20");
});

Deno.test("Backoff defaults to 250 ms growing to at most 2 s, and rejects nonsense", () => {
  const backoff = new Backoff({ random: () => 1 });
  const delays = Array.from({ length: 5 }, () => backoff.next());
  assert.deepEqual(delays, [750, 2_000, 2_000, 2_000, 2_000]);
  const low = new Backoff({ random: () => 0 });
  assert.deepEqual([low.next(), low.next()], [250, 250]);
  assert.throws(() => new Backoff({ baseMs: -1 }), RangeError);
  assert.throws(() => new Backoff({ maxMs: Infinity }), RangeError);
});

Deno.test("Backoff spreads a fleet's reconnects over the window instead of bunching them", () => {
  // 1,000 clients lose the same node at once; where do their fifth attempts land?
  const fifth: number[] = [];
  for (let n = 0; n < 1000; n++) {
    const backoff = new Backoff();
    let at = 0;
    for (let k = 0; k < 5; k++) at += backoff.next();
    fifth.push(at);
  }
  const buckets = new Array(10).fill(0);
  const min = Math.min(...fifth);
  const span = Math.max(...fifth) - min;
  for (const t of fifth) buckets[Math.min(9, Math.floor(((t - min) / span) * 10))]++;
  assert.ok(Math.max(...buckets) < 300, `no tenth of the window takes 30%: ${buckets}`);
});
