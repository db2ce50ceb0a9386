import assert from "node:assert/strict";
import { InboundLimiter } from "./inbound_limiter.ts";

const limits = { burst: 4, perSecond: 2, strikes: 5, strikeWindowMs: 10_000 };

Deno.test("InboundLimiter refuses past the burst with the wait, and strikes out a run of refusals", () => {
  const now = 0;
  const limiter = new InboundLimiter({ ...limits, now: () => now });
  for (let i = 0; i < 4; i++) assert.equal(limiter.admit().ok, true);
  const refused = limiter.admit();
  assert.ok(!refused.ok && refused.retryAfter > 0 && refused.retryAfter <= 0.5);
  assert.equal(refused.abuse, false);
  for (let i = 0; i < 3; i++) assert.equal((limiter.admit() as { abuse: boolean }).abuse, false);
  assert.equal((limiter.admit() as { abuse: boolean }).abuse, true, "the fifth strike");
});

Deno.test("InboundLimiter closes a client that stays just over the rate, though some frames pass", () => {
  let now = 0;
  const limiter = new InboundLimiter({ ...limits, now: () => now });
  let abused = false;
  // 16 frames a second against 2 a second: most are refused, some get through between them.
  for (let i = 0; i < 16 * 15 && !abused; i++) {
    now += 1000 / 16;
    const a = limiter.admit();
    if (!a.ok && a.abuse) abused = true;
  }
  assert.equal(abused, true);
});

Deno.test("InboundLimiter forgives strikes older than its window", () => {
  let now = 0;
  const limiter = new InboundLimiter({ ...limits, now: () => now });
  for (let round = 0; round < 10; round++) {
    // A short burst over the allowance every 20 s: 4 strikes, then quiet.
    for (let i = 0; i < 8; i++) {
      const a = limiter.admit();
      assert.ok(a.ok || !a.abuse, `round ${round}`);
    }
    now += 20_000;
  }
});
