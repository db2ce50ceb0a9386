import assert from "node:assert/strict";
import { protocolDocumentText } from "../tools/protocol_doc.ts";

Deno.test("docs/protocol.schema.json is generated from the protocol schemas and up to date", async () => {
  const committed = await Deno.readTextFile(
    new URL("../docs/protocol.schema.json", import.meta.url),
  );
  assert.equal(
    committed,
    protocolDocumentText(),
    "run `deno task protocol` to regenerate docs/protocol.schema.json",
  );
});
