import assert from "node:assert/strict";
import { TopicIndex, topicMatches } from "./topic_index.ts";

Deno.test("topicMatches() follows AMQP topic rules", () => {
  assert.equal(topicMatches("a.*.c", "a.b.c"), true);
  assert.equal(topicMatches("a.*.c", "a.b.b.c"), false);
  assert.equal(topicMatches("a.#", "a"), true);
  assert.equal(topicMatches("a.#.c", "a.x.y.c"), true);
  assert.equal(topicMatches("#", "anything.at.all"), true);
  assert.equal(topicMatches("a.b", "a.b.c"), false);
});

Deno.test("TopicIndex finds exact and wildcard subscribers and counts first and last", () => {
  const index = new TopicIndex<string>();
  assert.equal(index.add("guild.1.pool", "a"), true, "first of its pattern");
  assert.equal(index.add("guild.1.pool", "b"), false);
  assert.equal(index.add("guild.*.pool", "w"), true);
  assert.equal(index.add("gateway.#", "g"), true);
  const seen = (topic: string) => {
    const got: string[] = [];
    index.forEachMatch(topic, (x) => got.push(x));
    return got.sort();
  };
  assert.deepEqual(seen("guild.1.pool"), ["a", "b", "w"]);
  assert.deepEqual(seen("guild.2.pool"), ["w"]);
  assert.deepEqual(seen("gateway.demote"), ["g"]);
  assert.deepEqual(seen("guild.1.log.public"), []);
  assert.equal(index.size, 3);
  assert.equal(index.remove("guild.1.pool", "a"), false, "b still holds it");
  assert.equal(index.remove("guild.1.pool", "a"), false, "removing twice changes nothing");
  assert.equal(index.remove("guild.1.pool", "b"), true, "the last one");
  assert.deepEqual([...index.patterns()].sort(), ["gateway.#", "guild.*.pool"]);
});

Deno.test("TopicIndex lets a subscriber leave while it is being called", () => {
  const index = new TopicIndex<string>();
  index.add("t", "a");
  index.add("t", "b");
  const got: string[] = [];
  index.forEachMatch("t", (x) => {
    got.push(x);
    index.remove("t", "a");
    index.remove("t", "b");
  });
  assert.deepEqual(got, ["a", "b"], "a message goes to who was subscribed when it arrived");
});
