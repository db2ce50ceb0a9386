import assert from "node:assert/strict";
import { ARCHITUS_BOT_ID as DEMO_BOT_ID } from "../../demo/dataset/demo_ids.ts";
import { DiscordPermission } from "../../gateway/protocol/mod.ts";
import { addArchitusUrl, ARCHITUS_BOT_ID, mayAddArchitus } from "./add_architus.ts";

Deno.test("the Add Architus link names the bot the demo data knows and the guild", () => {
  assert.equal(ARCHITUS_BOT_ID, DEMO_BOT_ID);
  assert.equal(
    addArchitusUrl("601223485871603712"),
    "https://discord.com/oauth2/authorize?client_id=448546825532866560&scope=bot&permissions=2134207679&guild_id=601223485871603712",
  );
});

Deno.test("mayAddArchitus needs MANAGE_GUILD or ADMINISTRATOR", () => {
  assert.equal(mayAddArchitus(0x400 | 0x800), false);
  assert.equal(mayAddArchitus(DiscordPermission.MANAGE_GUILD | 0x400), true);
  assert.equal(mayAddArchitus(DiscordPermission.ADMINISTRATOR), true);
  assert.equal(mayAddArchitus(2 ** 40 + DiscordPermission.MANAGE_GUILD), true);
});
