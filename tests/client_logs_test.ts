/**
 * The client's log stream against a REAL gateway node: resume points,
 * honest recovery after an embedded-mode restart, and what an expiring
 * token does to a spectate.
 */
import assert from "node:assert/strict";
import {
  type ElevationLostEvent,
  type ResumedEvent,
  type SubscribedEvent,
  type UnsubscribedEvent,
} from "../client/mod.ts";
import { dataset, startTestNode, tokenFor } from "./_helpers/node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { waitFor } from "../testing/wait_for.ts";
import { freePort } from "../testing/free_port.ts";
import { newClient, onlySession, tokenOf } from "./_helpers/client_kit.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;

Deno.test("client: unfiltered history moves the resume point; a demotion forgets the spectate", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(users.architusAdmin.id) });
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO, { includeLogs: true });
    const published = await node.logTraffic!.publish(5, DEMO);
    await waitFor(() => client.lastLogEventId(DEMO) === published.at(-1)!.id);
    // Events that only reached the history (this client never saw them live):
    const last = published.at(-1)!;
    const onlyInHistory = { ...last, id: String(BigInt(last.id) + 1n) };
    node.demo!.history.append(onlyInHistory);
    // a filtered page does not move the resume point ...
    await client.request("logs_request", { guild_id: DEMO, limit: 5, filter: { text: "x" } });
    assert.equal(client.lastLogEventId(DEMO), last.id);
    // ... an unfiltered one does.
    const page = await client.request("logs_request", { guild_id: DEMO, limit: 5 });
    assert.equal(page.events[0]!.id, onlyInHistory.id);
    assert.equal(client.lastLogEventId(DEMO), onlyInHistory.id);
    client.noteLogEvent(DEMO, "1"); // never moves back
    assert.equal(client.lastLogEventId(DEMO), onlyInHistory.id);
    await node.gateway.signOut(users.architusAdmin.id);
    await waitFor(() => client.spectating === null, { message: "spectate forgotten on demotion" });
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: a resume after an embedded-mode restart says recovered: false when history was lost", async () => {
  const port = freePort();
  let node = await startTestNode({ PORT: String(port) });
  // A slow first retry, so the restarted node has events of its own before the client is back.
  const client = newClient(node, {
    token: tokenOf(users.architusAdmin.id),
    backoff: { baseMs: 1_500, maxMs: 1_500 },
  });
  const subscribed: SubscribedEvent[] = [];
  const resumed: ResumedEvent[] = [];
  client.on("subscribed", (event) => subscribed.push(event));
  client.on("resumed", (event) => resumed.push(event));
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO, { includeLogs: true });
    const before = await node.logTraffic!.publish(5, DEMO);
    await waitFor(() => client.lastLogEventId(DEMO) === before.at(-1)!.id);
    await node.shutdown(1000);
    await waitFor(() => client.state === "reconnecting");
    node = await startTestNode({ PORT: String(port) });
    // The old process's history died with it; these are all the new one has.
    await node.logTraffic!.publish(5, DEMO);
    await waitFor(() => resumed.length === 1, { timeoutMs: 10_000 });
    const restored = subscribed.at(-1)!;
    assert.equal(restored.restored, true);
    assert.equal(restored.since, before.at(-1)!.id);
    assert.equal(restored.recovered, false, "history does not reach back to `since`");
    assert.equal(resumed[0]!.recovered, false);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: re-elevates with its token function when the token expires, and the log goes on", async () => {
  const node = await startTestNode();
  let minted = 0;
  const client = newClient(node, {
    token: () => (minted++, tokenFor(users.architusAdmin.id, { ttlSeconds: 2 })),
  });
  const subscribed: SubscribedEvent[] = [];
  const lost: ElevationLostEvent[] = [];
  client.on("subscribed", (event) => subscribed.push(event));
  client.on("elevation_lost", (event) => lost.push(event));
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO, { includeLogs: true });
    const first = await node.logTraffic!.publish(3, DEMO);
    await waitFor(() => client.lastLogEventId(DEMO) === first.at(-1)!.id);
    const demoted = new Promise((resolve) => client.on("demoted", resolve));
    await demoted;
    await waitFor(() => subscribed.some((s) => s.restored), { timeoutMs: 5_000 });
    assert.equal(minted, 2, "asked for a fresh token once");
    assert.equal(client.elevated, true);
    assert.deepEqual(lost, []);
    const restored = subscribed.find((s) => s.restored)!;
    assert.equal(restored.since, first.at(-1)!.id);
    assert.equal(restored.recovered, true);
    const session = onlySession(node);
    assert.equal(session.principal?.userId, users.architusAdmin.id);
    assert.equal(session.spectating?.guildId, DEMO);
    const after = await node.logTraffic!.publish(2, DEMO);
    await waitFor(() => client.lastLogEventId(DEMO) === after.at(-1)!.id);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: an expiry without a token function surfaces elevation_lost; elevate() then restores the spectate", async () => {
  const node = await startTestNode();
  const client = newClient(node, {
    token: await tokenFor(users.architusAdmin.id, { ttlSeconds: 2 }),
  });
  const lost: ElevationLostEvent[] = [];
  const unsubscribed: UnsubscribedEvent[] = [];
  client.on("elevation_lost", (event) => lost.push(event));
  client.on("unsubscribed", (event) => unsubscribed.push(event));
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO, { includeLogs: true });
    await waitFor(() => lost.length === 1, { timeoutMs: 5_000 });
    assert.equal(lost[0]!.reason, "expired");
    assert.equal(lost[0]!.error.error, "not_authenticated");
    assert.deepEqual(unsubscribed, [{ guildId: DEMO, reason: "demoted", willRestore: false }]);
    assert.equal(client.elevated, false);
    assert.deepEqual(client.spectating, { guildId: DEMO, includeLogs: true }, "kept for later");
    await client.elevate(await tokenFor(users.architusAdmin.id));
    await waitFor(() => onlySession(node).spectating?.guildId === DEMO);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});
