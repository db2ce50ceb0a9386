import assert from "node:assert/strict";
import { Diagnostics } from "./diagnostics.ts";
import { LogSampler } from "./log_sampler.ts";

Deno.test("LogSampler writes a few lines a second and then how many it left out", () => {
  const lines: Array<Record<string, unknown>> = [];
  const log = new Diagnostics({ sink: (l) => lines.push(JSON.parse(l)) });
  let now = 0;
  const sampler = new LogSampler(log, { perSecond: 3, now: () => now });
  for (let i = 0; i < 10; i++) sampler.info(log, "connection opened", { i });
  assert.equal(lines.length, 3);
  now = 1000;
  sampler.info(log, "connection opened", { i: 10 });
  assert.deepEqual(lines.slice(3).map((l) => l.msg), [
    "connection lines left out under load",
    "connection opened",
  ]);
  assert.equal(lines[3]!.suppressed, 7);
});
