import assert from "node:assert/strict";
import type { LogEvent } from "../../client/mod.ts";
import { LogStore, matchesFilter, NO_FILTER, serverFilter } from "./log_store.ts";

function event(n: number, patch: Partial<LogEvent> = {}): LogEvent {
  return {
    id: String(1_000_000_000_000_000_000n + BigInt(n)),
    timestamp: 1_700_000_000_000 + n,
    type: 2003,
    origin: 1,
    guild_id: "555822989178961927",
    agent_id: n % 2 === 0 ? "10" : "11",
    content: `message ${n}`,
    private: false,
    ...patch,
  };
}

const ids = (store: LogStore) => store.all().map((e) => Number(BigInt(e.id) % 1_000_000n));

Deno.test("LogStore keeps events in id order, once, whatever order they come in", () => {
  const store = new LogStore();
  assert.equal(store.add([event(5), event(6), event(7)]), 3);
  // A history page comes newest first and overlaps what is held.
  assert.equal(store.add([event(6), event(4), event(3)]), 2);
  // A gap fill lands in the middle.
  assert.equal(store.add([event(9), event(8)]), 2);
  assert.equal(store.add([event(5)]), 0);
  assert.deepEqual(ids(store), [3, 4, 5, 6, 7, 8, 9]);
  assert.equal(store.oldest()?.id, event(3).id);
  assert.equal(store.newest()?.id, event(9).id);
  assert.equal(store.before(event(6).id)?.id, event(5).id);
  assert.equal(store.before(event(3).id), undefined);
});

Deno.test("LogStore trims the oldest beyond its capacity, filtered view included", () => {
  const store = new LogStore({ capacity: 100 });
  for (let n = 0; n < 300; n++) store.add([event(n)]);
  assert.ok(store.size <= 105, `bounded (${store.size})`);
  assert.equal(store.newest()?.id, event(299).id);
  assert.ok(!store.has(event(0).id));
  store.setFilter({ ...NO_FILTER, agentId: "10" });
  for (let n = 300; n < 500; n++) store.add([event(n)]);
  const oldest = store.oldest() as LogEvent;
  for (let i = 0; i < store.shownCount; i++) {
    const shown = store.shownAt(i) as LogEvent;
    assert.equal(shown.agent_id, "10");
    assert.ok(BigInt(shown.id) >= BigInt(oldest.id), "no trimmed event stays shown");
  }
});

Deno.test("LogStore filters as the history does and finds shown events by id", () => {
  const store = new LogStore();
  store.add([
    event(1, { type: 2006, content: "<@10> reacted 👍" }),
    event(2, { private: true, type: 72 }),
    event(3, { content: "Check the PINNED messages" }),
    event(4),
  ]);
  store.setFilter({ ...NO_FILTER, text: "pinned" });
  assert.equal(store.shownCount, 1);
  assert.equal(store.shownIndexOf(event(3).id), 0);
  assert.equal(store.shownIndexOf(event(4).id), -1);
  store.setFilter({ ...NO_FILTER, types: [2006, 72] });
  assert.equal(store.shownCount, 2);
  store.setFilter({ ...NO_FILTER, types: [2006, 72], hidePrivate: true });
  assert.equal(store.shownCount, 1);
  assert.equal(store.shownThrough(event(2).id), 1);
  store.add([event(5, { type: 2006 })]);
  assert.equal(store.shownCount, 2, "live events pass the filter as they come");
});

Deno.test("serverFilter() sends what the history understands and nothing else", () => {
  assert.equal(serverFilter(NO_FILTER), undefined);
  assert.equal(serverFilter({ ...NO_FILTER, hidePrivate: true }), undefined);
  assert.deepEqual(serverFilter({ types: [2006], agentId: "10", text: "gg", hidePrivate: true }), {
    types: [2006],
    agent_id: "10",
    text: "gg",
  });
  assert.ok(matchesFilter(event(1, { content: "GG" }), { ...NO_FILTER, text: "gg" }));
});
