import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { Markdown } from "./Markdown.tsx";

Deno.test("Markdown - text never becomes markup", () => {
  const hostile = '<img src=x onerror="alert(1)"> **<b>x</b>** `<script>` <@%_CLIENT_ID_%>';
  const html = renderToString(<Markdown text={hostile} />);
  assert.ok(!html.includes("<img"));
  assert.ok(!html.includes("<b>"));
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;img src=x"));
  assert.ok(html.includes('<span class="mention mention-self">@you</span>'));
});
