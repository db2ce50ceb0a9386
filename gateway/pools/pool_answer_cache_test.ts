import assert from "node:assert/strict";
import { PoolAnswerCache } from "./pool_answer_cache.ts";
import { chunkPool, MAX_CHUNK_ENTITIES, poolFrame } from "./pool_chunks.ts";

const key = { guildId: "1", type: "member" as const, online: false };

Deno.test("PoolAnswerCache shares one load between requests while it is fresh", async () => {
  let now = 0;
  const cache = new PoolAnswerCache({ ttlMs: 2000, now: () => now });
  let loads = 0;
  const load = () => Promise.resolve(chunkPool([{ id: String(++loads) }], []));
  const [a, b] = await Promise.all([cache.get(key, load), cache.get(key, load)]);
  assert.equal(loads, 1);
  assert.equal(a, b, "the same serialised answer, not a copy");
  now = 1999;
  await cache.get(key, load);
  assert.equal(loads, 1);
  now = 2000;
  await cache.get(key, load);
  assert.equal(loads, 2, "stale answers are loaded again");
  assert.equal(cache.size, 1, "stale entries are swept");
});

Deno.test("PoolAnswerCache forgets a failed load and drops a guild's type on a change", async () => {
  const cache = new PoolAnswerCache({ ttlMs: 60_000 });
  await assert.rejects(cache.get(key, () => Promise.reject(new Error("backend down"))));
  let loads = 0;
  const load = () => Promise.resolve(chunkPool([{ id: String(++loads) }], []));
  await cache.get(key, load);
  await cache.get({ ...key, online: true }, load);
  assert.equal(loads, 2, "the failure was not kept");
  cache.invalidate("1", "channel");
  await cache.get(key, load);
  assert.equal(loads, 2, "another type's change keeps it");
  cache.invalidate("1", "member");
  await cache.get(key, load);
  await cache.get({ ...key, online: true }, load);
  assert.equal(loads, 4, "both member answers were dropped");
});

Deno.test("chunkPool bounds chunks and poolFrame ends the last one with the missing ids", () => {
  const data = Array.from({ length: 2500 }, (_, i) => ({ id: String(i) }));
  const answer = chunkPool(data, ["9"]);
  assert.equal(answer.chunks.length, 3);
  const frames = answer.chunks.map((_, i) => JSON.parse(poolFrame(7, answer, i)));
  assert.deepEqual(frames.map((f) => f.finished), [false, false, true]);
  assert.ok(frames.every((f) => f.seq === 7 && f.data.length <= MAX_CHUNK_ENTITIES));
  assert.deepEqual(frames.flatMap((f) => f.data), data);
  assert.deepEqual(frames.map((f) => f.nonexistent), [[], [], ["9"]]);
  assert.deepEqual(JSON.parse(poolFrame(1, chunkPool([], []), 0)).data, [], "empty pool");
});
