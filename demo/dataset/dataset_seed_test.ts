import assert from "node:assert/strict";
import { dataset, demo, guildNamed, isMember, serialise } from "./_dataset_test_helpers.ts";
import { createDemoDataset } from "./dataset.ts";

Deno.test("dataset: the same seed gives the same data", () => {
  const again = createDemoDataset({ seed: 1 });
  assert.equal(serialise(again), serialise(dataset));
  const other = createDemoDataset({ seed: 2 });
  assert.notEqual(serialise(other), serialise(dataset));
  assert.deepEqual(other.guilds.map((g) => g.id), dataset.guilds.map((g) => g.id));
  assert.deepEqual(other.demoUsers, dataset.demoUsers);
  assert.equal(other.guilds[1]?.members.length, 10_000);
});

Deno.test("dataset: bigGuildMembers sizes Big Guild only", () => {
  const small = createDemoDataset({ bigGuildMembers: 50 });
  assert.equal(guildNamed(small, "Big Guild").members.length, 50);
  assert.deepEqual(guildNamed(small, "Architus Demo"), demo);
  assert.ok(isMember(guildNamed(small, "Big Guild"), small.demoUsers.member.id));
  const tiny = createDemoDataset({ bigGuildMembers: 3 });
  assert.equal(guildNamed(tiny, "Big Guild").members.length, 3);
  assert.throws(() => createDemoDataset({ bigGuildMembers: 2 }), RangeError);
});

Deno.test("dataset: 10,000 members build quickly", () => {
  const started = performance.now();
  createDemoDataset({ seed: 7 });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 3_000, `took ${elapsed} ms`);
});
