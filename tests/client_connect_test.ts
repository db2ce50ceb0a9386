/**
 * The client library (`client/mod.ts`) against a REAL gateway node:
 * elevation by token and by cookie, spectate, pool assembly, typed errors.
 */
import assert from "node:assert/strict";
import { dataset, startTestNode, tokenFor } from "./_helpers/node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { waitFor } from "../testing/wait_for.ts";
import {
  idsOf,
  newClient,
  onlySession,
  restoredSession,
  tapSocket,
  tokenOf,
} from "./_helpers/client_kit.ts";

const users = dataset().demoUsers;
const MEMBER = users.member.id;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const BIG = DEMO_GUILD_IDS.bigGuild;

Deno.test("client: token option elevates, spectates, and assembles the 10,000-member pool in order", async () => {
  const node = await startTestNode({}, { bigGuild: true });
  const client = newClient(node, { token: tokenOf(MEMBER), requestTimeoutMs: 15_000 });
  try {
    client.connect();
    await client.ready();
    assert.equal(client.state, "open");
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    assert.ok((client.expiresAt ?? 0) > Date.now(), "expiry in the future");

    const spectated = await client.spectate(DEMO);
    assert.equal(spectated.guild_id, DEMO);
    assert.equal(spectated.tier, "member");
    assert.deepEqual(client.spectating, { guildId: DEMO, includeLogs: false });
    const session = onlySession(node);
    assert.equal(session.principal?.userId, MEMBER);
    assert.equal(session.spectating?.guildId, DEMO);

    const result = await client.request("pool_all_request", { type: "member", guild_id: BIG });
    const expected = dataset({ bigGuild: true }).guild(BIG)!.members.map((m) => m.id);
    assert.equal(result.data.length, 10_000);
    assert.deepEqual(idsOf(result), expected, "complete and in order");
    assert.deepEqual(result.nonexistent, []);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: the upgrade's cookie elevates the connection without a token option", async () => {
  const node = await startTestNode();
  const tap = tapSocket({ cookie: `theme=dark; dev-token=${await tokenFor(MEMBER)}` });
  const client = newClient(node, { WebSocket: tap.WebSocket });
  try {
    client.connect();
    await client.ready();
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    assert.ok((client.expiresAt ?? 0) > Date.now());
    assert.equal(
      tap.sent.filter((f) => f._event === "request_elevation").length,
      0,
      "no token was sent in a frame",
    );
    assert.equal(tap.sent.filter((f) => f._event === "session").length, 1, "asked the session");
    await client.spectate(DEMO);
    const first = onlySession(node);
    assert.equal(first.principal?.userId, MEMBER);

    // The cookie elevates the next connection too.
    first.transport.close(4009, "slow consumer");
    await restoredSession(node, MEMBER, DEMO, first);
    await waitFor(() => client.state === "open" && tap.sockets.length === 2);
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});
