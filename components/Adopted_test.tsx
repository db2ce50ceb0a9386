import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { Adopted } from "./Adopted.tsx";

Deno.test("Adopted - the server renders the content inside the div, with its attributes", () => {
  let calls = 0;
  const html = renderToString(
    <Adopted
      class="chat-log"
      hidden={false}
      render={() => {
        calls++;
        return <p>preview</p>;
      }}
    />,
  );
  assert.equal(html, '<div class="chat-log"><p>preview</p></div>');
  assert.equal(calls, 1);
  assert.equal(
    renderToString(<Adopted class="chat-log" hidden render={() => "kept"} />),
    '<div class="chat-log" hidden>kept</div>',
  );
});
