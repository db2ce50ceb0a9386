import assert from "node:assert/strict";
import { accessFor, DiscordPermission } from "../../gateway/protocol/mod.ts";
import {
  big,
  dataset,
  demo,
  gaming,
  isMember,
  membership,
  rolesOf,
  study,
} from "./_dataset_test_helpers.ts";
import { ARCHITUS_BOT_ID, ARCHITUS_STAFF_ID } from "./demo_ids.ts";

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
