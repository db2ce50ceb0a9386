import assert from "node:assert/strict";
import type { Member } from "../../client/mod.ts";
import { avatarUrl, memberLines, searchLines } from "./member_list.ts";

const member = (
  id: string,
  name: string,
  status: Member["status"],
  roles: string[] = [],
): Member => ({
  id,
  name,
  discriminator: "0001",
  roles,
  joined_at: "2020-01-01T00:00:00.000Z",
  status,
});

const MEMBERS = [
  member("1", "zoe", "online", ["r"]),
  member("2", "adam", "offline", ["r"]),
  member("3", "Bea", "dnd"),
  member("4", "carl", undefined),
];

const names = (lines: ReturnType<typeof memberLines>) =>
  lines.map((line) => line.kind === "group" ? `${line.label} ${line.count}` : line.member.name);

Deno.test("memberLines groups online then offline, each by name, positions counting members", () => {
  assert.deepEqual(names(memberLines(MEMBERS, { onlineOnly: false, roleId: null }, true)), [
    "Online 2",
    "Bea",
    "zoe",
    "Offline 2",
    "adam",
    "carl",
  ]);
  const lines = memberLines(MEMBERS, { onlineOnly: false, roleId: null }, true);
  assert.deepEqual(lines.flatMap((l) => l.kind === "member" ? [l.position] : []), [1, 2, 3, 4]);
});

Deno.test("memberLines leaves offline members out while unknown or filtered, and filters by role", () => {
  assert.deepEqual(names(memberLines(MEMBERS, { onlineOnly: false, roleId: null }, false)), [
    "Online 2",
    "Bea",
    "zoe",
  ]);
  assert.deepEqual(names(memberLines(MEMBERS, { onlineOnly: true, roleId: null }, true)), [
    "Online 2",
    "Bea",
    "zoe",
  ]);
  assert.deepEqual(names(memberLines(MEMBERS, { onlineOnly: false, roleId: "r" }, true)), [
    "Online 1",
    "zoe",
    "Offline 1",
    "adam",
  ]);
  assert.deepEqual(names(searchLines(MEMBERS, { onlineOnly: true, roleId: "r" })), [
    "Found 1",
    "zoe",
  ]);
});

Deno.test("avatarUrl points at Discord's CDN for a real hash only", () => {
  const m = { ...member("9", "x", "online"), avatar: "a_0123456789abcdef0123456789abcdef" };
  assert.equal(
    avatarUrl("https://cdn.discordapp.com", m),
    "https://cdn.discordapp.com/avatars/9/a_0123456789abcdef0123456789abcdef.gif?size=64",
  );
  assert.equal(avatarUrl(null, m), null);
  assert.equal(avatarUrl("https://cdn.discordapp.com", { ...m, avatar: "../x" }), null);
  assert.equal(avatarUrl("https://cdn.discordapp.com", { ...m, avatar: null }), null);
});
