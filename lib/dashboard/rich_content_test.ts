import assert from "node:assert/strict";
import { mentionedUsers, parseRichContent } from "./rich_content.ts";

Deno.test("parseRichContent() reads mentions, emoji, colours and markdown", () => {
  assert.deepEqual(parseRichContent("<@1> pinged <@&2> in <#3>"), [
    { type: "user", id: "1" },
    { type: "text", text: " pinged " },
    { type: "role", id: "2" },
    { type: "text", text: " in " },
    { type: "channel", id: "3" },
  ]);
  assert.deepEqual(parseRichContent("<a:party:44> <::45> <##FF00aa>"), [
    { type: "emoji", animated: true, name: "party", id: "44" },
    { type: "text", text: " " },
    { type: "emoji", animated: false, name: "", id: "45" },
    { type: "text", text: " " },
    { type: "color", hex: "#ff00aa" },
  ]);
  assert.deepEqual(parseRichContent("**bold _and_ more** ||secret|| snake_case_name"), [
    {
      type: "strong",
      children: [{ type: "text", text: "bold " }, {
        type: "em",
        children: [{
          type: "text",
          text: "and",
        }],
      }, { type: "text", text: " more" }],
    },
    { type: "text", text: " " },
    { type: "spoiler", children: [{ type: "text", text: "secret" }] },
    { type: "text", text: " snake_case_name" },
  ]);
  assert.deepEqual(mentionedUsers("<@1> and <@!22> but not <@&3>"), ["1", "22"]);
});

Deno.test("parseRichContent() survives deep nesting and long hostile input", () => {
  const deep = "**".repeat(50) + "x" + "**".repeat(50);
  assert.ok(parseRichContent(deep).length > 0);
  const long = "<@".repeat(1000) + "_*~|".repeat(500);
  const started = performance.now();
  parseRichContent(long);
  assert.ok(performance.now() - started < 500, "no catastrophic backtracking");
});
