import assert from "node:assert/strict";
import { RateMeter } from "./rate_meter.ts";

Deno.test("RateMeter averages over its window and forgets what is older", () => {
  const meter = new RateMeter({ windowMs: 2000, bucketMs: 250, now: 0 });
  for (let t = 0; t < 2000; t += 10) meter.note(5, t);
  assert.equal(Math.round(meter.rate(1999)), 500);
  // Half a window of silence halves the rate; a whole one empties it.
  assert.equal(Math.round(meter.rate(2999)), 250);
  assert.equal(meter.rate(4500), 0);
});

Deno.test("RateMeter does not overstate a young stream", () => {
  const meter = new RateMeter({ windowMs: 5000, now: 10_000 });
  meter.note(100, 10_100);
  assert.equal(meter.rate(11_000), 100);
});
