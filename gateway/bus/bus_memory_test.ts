import assert from "node:assert/strict";
import { runBusContract } from "../../testing/bus_contract.ts";
import { MemoryBroker, MemoryBus } from "./bus_memory.ts";
import { topicMatches } from "./bus.ts";

runBusContract("MemoryBus", async () => {
  const broker = new MemoryBroker();
  const a = new MemoryBus(broker);
  const b = new MemoryBus(broker);
  await a.start();
  await b.start();
  return {
    a,
    b,
    close: async () => {
      await a.shutdown();
      await b.shutdown();
    },
  };
});

Deno.test("topicMatches() follows AMQP topic rules", () => {
  assert.equal(topicMatches("a.*.c", "a.b.c"), true);
  assert.equal(topicMatches("a.*.c", "a.b.b.c"), false);
  assert.equal(topicMatches("a.#", "a"), true);
  assert.equal(topicMatches("a.#.c", "a.x.y.c"), true);
  assert.equal(topicMatches("#", "anything.at.all"), true);
  assert.equal(topicMatches("a.b", "a.b.c"), false);
});
