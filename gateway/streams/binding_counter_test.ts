import assert from "node:assert/strict";
import { MemoryBus } from "../bus/mod.ts";
import { BindingCounter } from "./binding_counter.ts";

Deno.test("BindingCounter binds on the first reference and unbinds on the last", async () => {
  const bus = new MemoryBus();
  await bus.start();
  const got: string[] = [];
  const counter = new BindingCounter(bus, (_t, body) => got.push(body));
  await counter.acquire("guild.1.pool");
  await counter.acquire("guild.1.pool");
  await bus.publish("guild.1.pool", "a");
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(got, ["a"], "one binding, one delivery");
  await counter.release("guild.1.pool");
  await bus.publish("guild.1.pool", "b");
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(got, ["a", "b"]);
  await counter.release("guild.1.pool");
  await counter.release("guild.1.pool"); // extra releases are harmless
  await bus.publish("guild.1.pool", "c");
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(got, ["a", "b"]);
  assert.equal(counter.held.size, 0);
  await bus.shutdown();
});

Deno.test("BindingCounter keeps acquire/release order under churn", async () => {
  const bus = new MemoryBus();
  await bus.start();
  let delivered = 0;
  const counter = new BindingCounter(bus, () => delivered++);
  const ops: Promise<void>[] = [];
  for (let i = 0; i < 100; i++) {
    ops.push(counter.acquire("t"));
    ops.push(counter.release("t"));
  }
  ops.push(counter.acquire("t"));
  await Promise.all(ops);
  await bus.publish("t", "x");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(delivered, 1, "exactly one live binding after churn");
  await counter.release("t");
  assert.equal(counter.held.size, 0);
  await bus.shutdown();
});
