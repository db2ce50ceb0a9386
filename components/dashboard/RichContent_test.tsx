import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import type { NameLookup } from "../../lib/dashboard/name_directory.ts";
import { RichContent } from "./RichContent.tsx";

const NAMES: NameLookup = {
  member: (id) => id === "1" ? { name: "alice" } : id === "9" ? null : undefined,
  role: (id) => id === "2" ? { name: "Mods", color: "#2ecc71" } : undefined,
  channel: (id) => id === "3" ? "general" : undefined,
};

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
