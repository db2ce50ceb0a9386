import assert from "node:assert/strict";
import { DiscordPermission } from "../../gateway/protocol/mod.ts";
import { dataset, demo } from "./_dataset_test_helpers.ts";

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
