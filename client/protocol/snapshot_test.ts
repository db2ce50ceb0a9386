import assert from "node:assert/strict";
import { protocolSnapshot } from "../build/protocol_snapshot.ts";

Deno.test("client/protocol's snapshot is generated from gateway/protocol and up to date", async () => {
  for (const [name, text] of Object.entries(await protocolSnapshot())) {
    const committed = await Deno.readTextFile(new URL(name, import.meta.url));
    assert.equal(committed, text, `run \`deno task client:protocol\`: client/protocol/${name}`);
  }
});
