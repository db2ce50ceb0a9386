/**
 * `JWT_ISSUED_AT_TZ`: the REST API writes `issued_at` in its server's local
 * time without a zone. A node told that zone reads it there, so the token
 * expires when the REST API meant it to, not hours off.
 *
 * @module
 */
import assert from "node:assert/strict";
import { forgeJwt } from "../testing/forge_jwt.ts";
import { dataset, TEST_SECRET, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const MEMBER = dataset().demoUsers.member.id;

/** Kolkata has kept UTC+05:30, without daylight saving, since 1945: an offset the test can add. */
const KOLKATA_OFFSET_MS = 5.5 * 3_600_000;

/** What Python's `datetime.now().isoformat()` writes on a server in Kolkata at `instant`. */
function kolkataWallTime(instant: number): string {
  return new Date(instant + KOLKATA_OFFSET_MS).toISOString().replace("Z", "000");
}

/** A REST API token issued at `instant` on a Kolkata server, living `seconds`. */
function kolkataToken(instant: number, seconds: number): Promise<string> {
  return forgeJwt(
    { alg: "HS256", typ: "JWT" },
    `{"access_token":"a","refresh_token":"r","expires_in":${seconds},` +
      `"issued_at":"${kolkataWallTime(instant)}","id":${MEMBER},"permissions":274}`,
    TEST_SECRET,
  );
}

Deno.test("a token whose issued_at is Kolkata time expires at the right instant on a node told the zone", async () => {
  await withNode({ JWT_ISSUED_AT_TZ: "Asia/Kolkata" }, async (node, clients) => {
    const issued = Date.now();
    const token = await kolkataToken(issued, 2);
    assert.match(kolkataWallTime(issued), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    const elevated = await c.ask({ _event: "request_elevation", _seq: 1, token });
    assert.equal(elevated.result, true, String(elevated.message));
    assert.equal(elevated.expires_at, issued + 2000, "expiry to the millisecond");
    const demoted = await c.next((f) => f._event === "demoted", { timeoutMs: 5000 });
    assert.equal(demoted.reason, "expired");
    const at = c.arrivals[c.frames.indexOf(demoted)]!;
    assert.ok(at >= issued + 2000 && at < issued + 2600, `demoted ${at - issued} ms after issue`);
  });
});

Deno.test("the same Kolkata token read as UTC (the default) looks issued hours ahead and is refused", async () => {
  await withNode({}, async (node, clients) => {
    const token = await kolkataToken(Date.now(), 3600);
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    const refused = await c.ask({ _event: "request_elevation", _seq: 1, token });
    assert.equal(refused.result, false);
    assert.match(String(refused.message), /not_yet_valid/);
  });
});
