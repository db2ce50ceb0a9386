import assert from "node:assert/strict";
import { AsyncQueue } from "./async_queue.ts";

Deno.test("AsyncQueue hands items to waiting and later readers, then ends", async () => {
  const queue = new AsyncQueue<number>();
  const early = queue.next();
  queue.push(1);
  queue.push(2);
  queue.end();
  queue.push(3);
  assert.deepEqual(await early, { value: 1, done: false });
  assert.deepEqual(await queue.next(), { value: 2, done: false });
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
});

Deno.test("AsyncQueue delivers pushed items before its failure, once", async () => {
  const queue = new AsyncQueue<string>();
  queue.push("a");
  queue.fail(new Error("boom"));
  assert.deepEqual(await queue.next(), { value: "a", done: false });
  await assert.rejects(queue.next(), /boom/);
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
  const waiting = new AsyncQueue<string>();
  const pending = waiting.next();
  waiting.fail(new Error("late"));
  await assert.rejects(pending, /late/);
});

Deno.test("AsyncQueue.cancel() drops buffered items", async () => {
  const queue = new AsyncQueue<number>();
  queue.push(1);
  queue.cancel();
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
});
