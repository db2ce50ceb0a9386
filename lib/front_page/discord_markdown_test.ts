import assert from "node:assert/strict";
import { parseInline } from "./discord_markdown.ts";

Deno.test("parseInline() - bold, italics, code and line breaks", () => {
  assert.deepEqual(parseInline("**b** *i* _u_ `c` ~~s~~ __u__\nnext"), [
    { type: "strong", children: [{ type: "text", text: "b" }] },
    { type: "text", text: " " },
    { type: "em", children: [{ type: "text", text: "i" }] },
    { type: "text", text: " " },
    { type: "em", children: [{ type: "text", text: "u" }] },
    { type: "text", text: " " },
    { type: "code", text: "c" },
    { type: "text", text: " " },
    { type: "s", children: [{ type: "text", text: "s" }] },
    { type: "text", text: " " },
    { type: "u", children: [{ type: "text", text: "u" }] },
    { type: "text", text: "\nnext" },
  ]);
  // Code wins over emphasis, and its content stays literal.
  assert.deepEqual(parseInline("`**not bold**`"), [{ type: "code", text: "**not bold**" }]);
  // snake_case is not emphasis.
  assert.deepEqual(parseInline("snake_case_name"), [{ type: "text", text: "snake_case_name" }]);
  assert.deepEqual(parseInline("2 * 3 * 4"), [{ type: "text", text: "2 * 3 * 4" }]);
});

Deno.test("parseInline() - mentions and shortcodes", () => {
  assert.deepEqual(parseInline("<@%_CLIENT_ID_%> <@123> <@!456> @everyone"), [
    { type: "mention", label: "@you", self: true },
    { type: "text", text: " " },
    { type: "mention", label: "@user", self: false },
    { type: "text", text: " " },
    { type: "mention", label: "@user", self: false },
    { type: "text", text: " " },
    { type: "mention", label: "@everyone", self: true },
  ]);
  assert.deepEqual(parseInline("hi :wave: :nope: 10:30:00"), [
    { type: "text", text: "hi " },
    { type: "emoji", name: "wave", char: "👋" },
    { type: "text", text: " :nope: 10:30:00" },
  ]);
});

Deno.test("parseInline() - deep nesting and long hostile input stay cheap", () => {
  const deep = "**".repeat(50) + "x" + "**".repeat(50);
  assert.ok(parseInline(deep).length > 0);
  const started = performance.now();
  parseInline("*_`~:".repeat(2000));
  parseInline(":a".repeat(5000));
  assert.ok(performance.now() - started < 500);
});
