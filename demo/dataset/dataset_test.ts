import assert from "node:assert/strict";
import {
  accessFor,
  ALL_ARCHITUS_PERMISSIONS,
  AutoResponse,
  Channel,
  CustomEmoji,
  DEFAULT_ARCHITUS_PERMISSIONS,
  DiscordPermission,
  Guild,
  HOAR_FROST_EPOCH_MS,
  Member,
  type Membership,
  PartialGuild,
  Role,
  SettingValue,
  User,
} from "../../gateway/protocol/mod.ts";
import { DEMO_NOW_MS } from "./_world.ts";
import { createDemoDataset, type DemoDataset } from "./dataset.ts";
import type { DemoGuild } from "./demo_guild.ts";
import { ARCHITUS_BOT_ID, ARCHITUS_STAFF_ID, DEMO_GUILD_IDS } from "./demo_ids.ts";

const dataset = createDemoDataset();

function guildNamed(data: DemoDataset, name: string): DemoGuild {
  const guild = data.guilds.find((g) => g.name === name);
  assert.ok(guild, `no guild named ${name}`);
  return guild;
}

const demo = guildNamed(dataset, "Architus Demo");
const big = guildNamed(dataset, "Big Guild");
const gaming = guildNamed(dataset, "Gaming Lounge");
const study = guildNamed(dataset, "Study Hall");

function isMember(guild: DemoGuild, userId: string): boolean {
  return guild.members.some((m) => m.id === userId);
}

function rolesOf(guild: DemoGuild, userId: string): Role[] {
  return guild.roles.filter((r) => r.members.includes(userId));
}

/** What a backend would report for `userId` in `guild`, derived from the dataset alone. */
function membership(guild: DemoGuild, userId: string): Membership | null {
  if (!isMember(guild, userId)) return null;
  const permissions = rolesOf(guild, userId).reduce((bits, r) => bits | (r.permissions ?? 0), 0);
  const admin = guild.ownerId === userId || guild.adminIds.includes(userId) ||
    (permissions & DiscordPermission.ADMINISTRATOR) !== 0;
  return {
    member: true,
    admin,
    permissions,
    architus_permissions: guild.architusPermissions.get(userId) ?? DEFAULT_ARCHITUS_PERMISSIONS,
  };
}

function serialise(data: DemoDataset): string {
  return JSON.stringify({
    guilds: data.guilds.map((g) => ({
      ...g,
      architusPermissions: [...g.architusPermissions],
    })),
    users: [...data.users],
    demoUsers: data.demoUsers,
  });
}

const snowflakeTime = (id: string): number => Number(BigInt(id) >> 22n) + HOAR_FROST_EPOCH_MS;

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

    const guildCreated = snowflakeTime(guild.id);
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
      assert.ok(joined >= snowflakeTime(member.id), "joined before the account existed");
    }
  }
});

Deno.test("dataset: channels, emojis, auto responses and settings are well formed", () => {
  const hoarFrosts = new Set<string>();
  for (const guild of dataset.guilds) {
    const memberIds = new Set(guild.members.map((m) => m.id));
    assert.equal(new Set(guild.channels.map((c) => c.id)).size, guild.channels.length);
    for (const emoji of guild.emojis) {
      assert.ok(memberIds.has(emoji.authorId));
      assert.equal(emoji.url, `https://cdn.discordapp.com/emojis/${emoji.discordId}.png`);
      assert.ok(emoji.numUses >= 0);
      assert.ok(!hoarFrosts.has(emoji.id));
      hoarFrosts.add(emoji.id);
    }
    for (const response of guild.autoResponses) {
      assert.equal(response.guild_id, guild.id);
      assert.ok(memberIds.has(response.author_id ?? ""));
      assert.ok(!hoarFrosts.has(response.id));
      hoarFrosts.add(response.id);
      const regex = new RegExp(response.trigger_regex, "i");
      if (response.mode !== "regex") assert.ok(regex.test(response.trigger), response.trigger);
      assert.equal(response.response_tokens.map(([, text]) => text).join(""), response.response);
      assert.ok(response.response_tokens.length > 0);
    }
    assert.equal(new Set(guild.settings.map((s) => s.id)).size, guild.settings.length);
    for (const setting of guild.settings) assert.equal(setting.guild_id, guild.id);
  }
  const prefix = demo.settings.find((s) => s.id === "prefix");
  assert.equal(prefix?.value, "!");
  const logChannel = demo.settings.find((s) => s.id === "log_channel_id");
  assert.ok(demo.channels.some((c) => c.id === logChannel?.value));
});

Deno.test("dataset: Architus Demo has admin and moderator roles", () => {
  const admin = demo.roles.filter((r) =>
    !r.managed && ((r.permissions ?? 0) & DiscordPermission.ADMINISTRATOR) !== 0
  );
  assert.equal(admin.length, 1);
  assert.ok((admin[0]?.members.length ?? 0) >= 2);
  const moderator = demo.roles.find((r) => r.name === "Moderator");
  assert.ok(moderator);
  assert.equal((moderator.permissions ?? 0) & DiscordPermission.MANAGE_GUILD, 0x20);
  assert.equal((moderator.permissions ?? 0) & DiscordPermission.ADMINISTRATOR, 0);
});

Deno.test("dataset: the demo users hold their tiers", () => {
  const { staff, architusAdmin, discordAdmin, member, nonMember } = dataset.demoUsers;
  const all = [staff, architusAdmin, discordAdmin, member, nonMember];
  assert.equal(new Set(all.map((u) => u.id)).size, 5);
  for (const user of all) {
    assert.equal(dataset.users.get(user.id)?.username, user.username);
    assert.ok(user.role.length > 0);
  }

  assert.equal(staff.id, ARCHITUS_STAFF_ID);
  for (const guild of dataset.guilds) assert.ok(!isMember(guild, staff.id), guild.name);
  assert.equal(accessFor(null, { staff: true }).tier, "architus_staff");

  assert.equal(demo.ownerId, architusAdmin.id);
  assert.equal(
    accessFor(membership(demo, architusAdmin.id), { staff: false }).tier,
    "architus_admin",
  );
  assert.ok(isMember(study, architusAdmin.id));
  assert.notEqual(study.ownerId, architusAdmin.id);
  assert.equal(accessFor(membership(study, architusAdmin.id), { staff: false }).tier, "member");

  const modRoles = rolesOf(demo, discordAdmin.id);
  assert.ok(modRoles.some((r) => ((r.permissions ?? 0) & DiscordPermission.MANAGE_GUILD) !== 0));
  assert.ok(modRoles.every((r) => ((r.permissions ?? 0) & DiscordPermission.ADMINISTRATOR) === 0));
  assert.notEqual(demo.ownerId, discordAdmin.id);
  assert.ok(!demo.adminIds.includes(discordAdmin.id));
  assert.equal(
    accessFor(membership(demo, discordAdmin.id), { staff: false }).tier,
    "discord_admin",
  );

  assert.ok(isMember(demo, member.id));
  assert.ok(isMember(big, member.id));
  assert.equal(demo.architusPermissions.get(member.id), 0x012);
  const adminish = DiscordPermission.ADMINISTRATOR | DiscordPermission.MANAGE_GUILD;
  for (const guild of [demo, big]) {
    assert.ok(rolesOf(guild, member.id).every((r) => ((r.permissions ?? 0) & adminish) === 0));
    assert.notEqual(guild.ownerId, member.id);
    assert.ok(!guild.adminIds.includes(member.id));
  }
  assert.deepEqual(accessFor(membership(demo, member.id), { staff: false }), {
    tier: "member",
    permissions: 0x012,
  });

  assert.ok(isMember(gaming, nonMember.id));
  assert.ok(!isMember(demo, nonMember.id));
  assert.ok(!isMember(big, nonMember.id));
  assert.equal(accessFor(membership(demo, nonMember.id), { staff: false }).tier, "non_member");
});

Deno.test("dataset: the bot user", () => {
  const bot = dataset.users.get(ARCHITUS_BOT_ID);
  assert.deepEqual(
    { username: bot?.username, discriminator: bot?.discriminator, bot: bot?.bot },
    { username: "architus", discriminator: "7145", bot: true },
  );
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
