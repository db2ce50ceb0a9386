import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { mentionedUsers, type NameLookup, parseRichContent, RichContent } from "./rich_content.tsx";

const NAMES: NameLookup = {
  member: (id) => id === "1" ? { name: "alice" } : id === "9" ? null : undefined,
  role: (id) => id === "2" ? { name: "Mods", color: "#2ecc71" } : undefined,
  channel: (id) => id === "3" ? "general" : undefined,
};

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

Deno.test("RichContent renders chips with names, ids until known, and never markup", () => {
  const html = renderToString(
    <RichContent
      text='<@1> <@5> <@9> <@&2> <#3> <#4> <img src=x onerror="alert(1)"> </span><script>'
      names={NAMES}
    />,
  );
  assert.match(
    html,
    /<span class="chip chip-user" data-mention="user" data-id="1" title="1">@alice<\/span>/,
  );
  assert.match(html, /class="chip chip-user chip-pending"[^>]*>@5</);
  assert.match(html, /class="chip chip-user chip-pending"[^>]*>@9</);
  assert.match(html, /class="chip chip-role"[^>]*style="color: ?#2ecc71;?"[^>]*>@Mods</);
  assert.match(html, />#general</);
  assert.match(html, /class="chip chip-channel chip-pending"[^>]*>#4</);
  assert.ok(!html.includes("<img"), "text stays text");
  assert.ok(!html.includes("<script"));
  assert.ok(html.includes("&lt;img src=x onerror="));
});

Deno.test("parseRichContent() survives deep nesting and long hostile input", () => {
  const deep = "**".repeat(50) + "x" + "**".repeat(50);
  assert.ok(parseRichContent(deep).length > 0);
  const long = "<@".repeat(1000) + "_*~|".repeat(500);
  const started = performance.now();
  parseRichContent(long);
  assert.ok(performance.now() - started < 500, "no catastrophic backtracking");
});
