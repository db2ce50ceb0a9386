import assert from "node:assert/strict";
import type { NameLookup } from "./name_directory.ts";
import { NamesSeen } from "./names_seen.ts";

function lookup(
  members: Record<string, { name: string; color?: string | null }>,
  channels: Record<string, string> = {},
): NameLookup {
  return {
    member: (id) => members[id],
    role: () => null,
    channel: (id) => channels[id],
  };
}

Deno.test("NamesSeen: a view whose names read the same need not draw again", () => {
  const seen = new NamesSeen();
  const before = lookup({ "1": { name: "ada" } });
  const names = seen.through(before);
  assert.equal(names.member("1")?.name, "ada");
  assert.equal(names.channel("9"), undefined);
  // Another row's name arrived: nothing this view read changed.
  assert.equal(seen.changedIn(lookup({ "1": { name: "ada" }, "2": { name: "bo" } })), false);
  // Its channel arrived, its member was renamed or recoloured, or went missing: it did.
  assert.equal(seen.changedIn(lookup({ "1": { name: "ada" } }, { "9": "general" })), true);
  assert.equal(seen.changedIn(lookup({ "1": { name: "ada lovelace" } })), true);
  assert.equal(seen.changedIn(lookup({ "1": { name: "ada", color: "#ff0000" } })), true);
  assert.equal(seen.changedIn({ ...lookup({}), member: () => null }), true);
});

Deno.test("NamesSeen: a new drawing forgets what the one before it read", () => {
  const seen = new NamesSeen();
  seen.through(lookup({})).member("1");
  const names = lookup({ "2": { name: "bo" } });
  seen.through(names).member("2");
  assert.equal(seen.changedIn(lookup({ "1": { name: "ada" }, "2": { name: "bo" } })), false);
  assert.equal(seen.changedIn(lookup({})), true);
});

Deno.test("NamesSeen: a view that read no name never needs names to draw again", () => {
  const seen = new NamesSeen();
  seen.through(lookup({}));
  assert.equal(seen.changedIn(lookup({ "1": { name: "ada" } })), false);
});
