import assert from "node:assert/strict";
import { ALL_ARCHITUS_PERMISSIONS, hoarFrostTime } from "../../gateway/protocol/mod.ts";
import { big, dataset } from "./_dataset_test_helpers.ts";
import { DEMO_NOW_MS } from "./_world.ts";
import { ARCHITUS_BOT_ID } from "./demo_ids.ts";

Deno.test("dataset: members are unique, have user records and consistent roles", () => {
  for (const guild of dataset.guilds) {
    const ids = new Set(guild.members.map((m) => m.id));
    assert.equal(ids.size, guild.members.length, `${guild.name}: duplicate member ids`);
    assert.ok(ids.has(guild.ownerId), `${guild.name}: owner is not a member`);
    assert.ok(ids.has(ARCHITUS_BOT_ID), `${guild.name}: the bot is not a member`);
    for (const id of guild.adminIds) assert.ok(ids.has(id));
    for (const id of guild.architusPermissions.keys()) assert.ok(ids.has(id));
    for (const bits of guild.architusPermissions.values()) {
      assert.equal(bits & ~ALL_ARCHITUS_PERMISSIONS, 0);
    }

    const everyone = guild.roles.find((r) => r.id === guild.id);
    assert.ok(everyone, `${guild.name}: no @everyone`);
    assert.equal(everyone.name, "@everyone");
    assert.equal(everyone.permissions, 0);
    assert.equal(new Set(guild.roles.map((r) => r.id)).size, guild.roles.length);
    assert.equal(new Set(guild.roles.map((r) => r.position)).size, guild.roles.length);

    const expectedRoles = new Map<string, string[]>();
    const roleById = new Map(guild.roles.map((r) => [r.id, r]));
    for (const role of guild.roles) {
      assert.match(role.color, /^#[0-9a-f]{6}$/);
      for (const id of role.members) {
        assert.ok(ids.has(id), `${guild.name}/${role.name}: ${id} is not a member`);
        let list = expectedRoles.get(id);
        if (list === undefined) expectedRoles.set(id, list = []);
        list.push(role.id);
      }
    }

    const guildCreated = hoarFrostTime(guild.id);
    for (const member of guild.members) {
      const user = dataset.users.get(member.id);
      assert.ok(user, `${guild.name}: no user for ${member.id}`);
      assert.equal(member.name, user.username);
      assert.equal(member.discriminator, user.discriminator);
      assert.match(member.discriminator, /^[0-9]{4}$/);
      assert.match(member.id, /^[0-9]{17,19}$/);
      assert.ok(member.avatar === null || /^(a_)?[0-9a-f]{32}$/.test(member.avatar ?? ""));
      assert.ok(!member.roles.includes(guild.id), "@everyone is not listed");
      assert.equal(new Set(member.roles).size, member.roles.length);
      assert.deepEqual(
        [...member.roles].sort(),
        [...(expectedRoles.get(member.id) ?? [])].sort(),
      );
      const coloured = member.roles.map((id) => roleById.get(id))
        .filter((r) => r !== undefined && r.color !== "#000000")
        .sort((a, b) => (b?.position ?? 0) - (a?.position ?? 0));
      assert.equal(member.color, coloured[0]?.color ?? null);
      const joined = Date.parse(member.joined_at);
      assert.equal(new Date(joined).toISOString(), member.joined_at);
      assert.ok(joined >= guildCreated && joined < DEMO_NOW_MS, member.joined_at);
      assert.ok(joined >= hoarFrostTime(member.id), "joined before the account existed");
    }
  }
});

Deno.test("dataset: Big Guild names, nicks and presence are varied", () => {
  const names = big.members.map((m) => m.name);
  assert.equal(new Set(names).size, names.length, "usernames are unique");
  assert.ok(new Set(names.map((n) => n.charAt(0))).size >= 20);
  assert.ok(new Set(names.map((n) => n.slice(0, 3))).size >= 300);
  const nicked = big.members.filter((m) => m.nick !== null).length / big.members.length;
  assert.ok(nicked > 0.2 && nicked < 0.8, `nick share ${nicked}`);
  const present = big.members.filter((m) => m.status !== "offline").length / big.members.length;
  assert.ok(present > 0.2 && present < 0.4, `not-offline share ${present}`);
  for (const status of ["online", "idle", "dnd", "offline"]) {
    assert.ok(big.members.some((m) => m.status === status), status);
  }
  // A prefix search finds several but not too many members.
  const matches = big.members.filter((m) =>
    m.name.startsWith("ma") || (m.nick ?? "").toLowerCase().startsWith("ma")
  );
  assert.ok(matches.length > 10 && matches.length < 2_000, `${matches.length} matches`);
});
