import assert from "node:assert/strict";
import type { NameLookup } from "./name_directory.ts";
import { settingLabel, valueParts } from "./setting_values.ts";

const names: NameLookup = {
  channel: (id) => id === "123456789012345678" ? "general" : undefined,
  member: (id) => id === "223456789012345678" ? { name: "Ada" } : null,
  role: () => undefined,
};
const setting = (id: string, value: unknown) => ({ id, guild_id: "1", value });

Deno.test("valueParts names channels and members, and reads plain values", () => {
  assert.deepEqual(valueParts(setting("log_channel_id", "123456789012345678"), names), [
    { kind: "channel", id: "123456789012345678", name: "general" },
  ]);
  assert.deepEqual(valueParts(setting("admins_ids", ["223456789012345678"]), names), [
    { kind: "member", id: "223456789012345678", name: "Ada" },
  ]);
  assert.deepEqual(valueParts(setting("bot_commands_channels", []), names), [
    { kind: "text", text: "none" },
  ]);
  assert.deepEqual(valueParts(setting("prefix", "!"), names), [{ kind: "text", text: "!" }]);
  assert.deepEqual(valueParts(setting("music_enabled", false), names), [{
    kind: "text",
    text: "off",
  }]);
  assert.deepEqual(valueParts(setting("limits", { a: 1 }), names), [{
    kind: "text",
    text: '{"a":1}',
  }]);
  assert.equal(settingLabel("prefix"), "Command prefix");
  assert.equal(settingLabel("some_new_thing"), "Some new thing");
});
