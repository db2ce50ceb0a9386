import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limiter.ts";

Deno.test("RateLimiter allows a burst, then refills at its rate", () => {
  let now = 0;
  const r = new RateLimiter({ burst: 3, perSecond: 2, now: () => now });
  assert.equal(r.take(), 0);
  assert.equal(r.take(), 0);
  assert.equal(r.take(), 0);
  const wait = r.take();
  assert.ok(wait > 0.49 && wait <= 0.5, `wait ${wait}`);
  now += 500;
  assert.equal(r.take(), 0);
  now += 10_000;
  for (let i = 0; i < 3; i++) assert.equal(r.take(), 0);
  assert.ok(r.take() > 0, "never more than the burst");
});
