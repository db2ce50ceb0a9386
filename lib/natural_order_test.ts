import assert from "node:assert/strict";
import { compareNatural } from "./natural_order.ts";

Deno.test("compareNatural: case and accents aside, numbers by value, ties by the names as written", () => {
  const sorted = [
    "room 10",
    "Zoë",
    "émile",
    "Room 2",
    "alpha",
    "Alpha",
    "room 02b",
    "zoe 1",
    "Bravo",
    "99 problems",
    "100 days",
  ].sort(compareNatural);
  assert.deepEqual(sorted, [
    "99 problems",
    "100 days",
    "Alpha",
    "alpha",
    "Bravo",
    "émile",
    "Room 2",
    "room 02b",
    "room 10",
    "Zoë",
    "zoe 1",
  ]);
  // The order Intl.Collator("en", {sensitivity: "base", numeric: true}) gives, up to ties.
  const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(collator.compare(sorted[i - 1]!, sorted[i]!) <= 0, `${sorted[i - 1]} ≤ ${sorted[i]}`);
  }
  assert.equal(compareNatural("same", "same"), 0);
});
