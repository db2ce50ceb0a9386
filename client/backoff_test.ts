import assert from "node:assert/strict";
import { Backoff, backoffCeiling, backoffDelay } from "./backoff.ts";

Deno.test("backoffCeiling doubles from baseMs and stops at maxMs", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(n, 250, 20_000)),
    [250, 500, 1000, 2000, 4000, 8000, 16_000],
  );
  assert.equal(backoffCeiling(7, 250, 20_000), 20_000);
  assert.equal(backoffCeiling(5000, 250, 20_000), 20_000, "huge attempts stay finite");
});

Deno.test("backoffDelay draws the whole window: random() times the ceiling", () => {
  assert.equal(backoffDelay(2, 100, 10_000, () => 0), 0);
  assert.equal(backoffDelay(2, 100, 10_000, () => 0.5), 200);
  assert.equal(backoffDelay(2, 100, 10_000, () => 0.999), 399.6);
  // A broken source cannot push the delay outside [0, ceiling].
  assert.equal(backoffDelay(1, 100, 10_000, () => -3), 0);
  assert.equal(backoffDelay(1, 100, 10_000, () => 7), 200);
  assert.equal(backoffDelay(1, 100, 10_000, () => NaN), 200);
});

Deno.test("Backoff counts attempts, stays within bounds and starts over on reset", () => {
  const draws = [0.1, 0.9, 0.5, 0.999, 0.3, 0.7, 0.2, 0.6];
  let i = 0;
  const backoff = new Backoff({ baseMs: 10, maxMs: 100, random: () => draws[i++] as number });
  const delays = draws.map(() => backoff.next());
  assert.equal(backoff.attempt, draws.length);
  delays.forEach((delay, n) => {
    const ceiling = Math.min(100, 10 * 2 ** n);
    assert.ok(delay >= 0 && delay <= ceiling, `delay ${n} = ${delay} outside [0, ${ceiling}]`);
    assert.equal(delay, (draws[n] as number) * ceiling);
  });
  assert.ok(new Set(delays).size > 1, "jittered, not constant");
  backoff.reset();
  assert.equal(backoff.attempt, 0);
  i = 0;
  assert.equal(backoff.next(), 1);
});

Deno.test("Backoff defaults to 250 ms growing to 20 s, and rejects nonsense", () => {
  const backoff = new Backoff({ random: () => 1 });
  const delays = Array.from({ length: 9 }, () => backoff.next());
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
  assert.throws(() => new Backoff({ baseMs: -1 }), RangeError);
  assert.throws(() => new Backoff({ maxMs: Infinity }), RangeError);
});
