import assert from "node:assert/strict";
import {
  AutoResponse,
  Channel,
  CustomEmoji,
  Guild,
  Member,
  PartialGuild,
  Role,
  SettingValue,
  User,
} from "../../gateway/protocol/mod.ts";
import { big, dataset, demo, gaming, study } from "./_dataset_test_helpers.ts";
import { DEMO_GUILD_IDS } from "./demo_ids.ts";

Deno.test("dataset: the four guilds with their sizes", () => {
  assert.deepEqual(dataset.guilds.map((g) => g.name).sort(), [
    "Architus Demo",
    "Big Guild",
    "Gaming Lounge",
    "Study Hall",
  ]);
  assert.equal(demo.id, DEMO_GUILD_IDS.architusDemo);
  assert.equal(big.id, DEMO_GUILD_IDS.bigGuild);
  assert.equal(gaming.id, DEMO_GUILD_IDS.gamingLounge);
  assert.equal(study.id, DEMO_GUILD_IDS.studyHall);
  assert.equal(big.members.length, 10_000);
  assert.ok(demo.members.length >= 200 && demo.members.length <= 300);
  assert.ok(gaming.members.length >= 50 && gaming.members.length <= 70);
  assert.ok(study.members.length >= 30 && study.members.length <= 50);
  assert.ok(demo.roles.length >= 8);
  assert.ok(demo.emojis.length >= 12);
  assert.ok(demo.autoResponses.length >= 10);
  assert.ok(demo.channels.some((c) => c.type === "text"));
  assert.ok(demo.channels.some((c) => c.type === "voice"));
  for (const guild of dataset.guilds) {
    assert.ok(guild.settings.length > 0, guild.name);
    assert.ok(guild.channels.length > 0, guild.name);
  }
});

Deno.test("dataset: guild(id) finds guilds by id", () => {
  for (const guild of dataset.guilds) assert.equal(dataset.guild(guild.id), guild);
  assert.equal(dataset.guild("1"), undefined);
});

Deno.test("dataset: guild ids are realistic snowflakes spread over shards", () => {
  const shards = new Set<bigint>();
  for (const guild of dataset.guilds) {
    assert.match(guild.id, /^[0-9]{18,19}$/);
    shards.add((BigInt(guild.id) >> 22n) % 4n);
  }
  assert.equal(shards.size, dataset.guilds.length);
});

Deno.test("dataset: every entity passes its schema", () => {
  for (const guild of dataset.guilds) {
    for (const member of guild.members) Member.parse(member);
    for (const channel of guild.channels) Channel.parse(channel);
    for (const role of guild.roles) Role.parse(role);
    for (const emoji of guild.emojis) CustomEmoji.parse(emoji);
    for (const response of guild.autoResponses) AutoResponse.parse(response);
    for (const setting of guild.settings) SettingValue.parse(setting);
    PartialGuild.parse({
      id: guild.id,
      name: guild.name,
      icon: guild.icon,
      has_architus: true,
      architus_admin: false,
      permissions: 0,
      member_count: guild.members.length,
    });
    Guild.parse({
      id: guild.id,
      name: guild.name,
      icon: guild.icon,
      owner_id: guild.ownerId,
      owner: false,
      features: [],
      member_count: guild.members.length,
      has_architus: true,
      architus_admin: false,
      permissions: 0,
    });
  }
  for (const [id, user] of dataset.users) {
    User.parse(user);
    assert.equal(user.id, id);
  }
});
