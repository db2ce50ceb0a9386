/**
 * The client's reconnects against a REAL gateway node: server-side closes
 * mid-request, terminal codes, restarts on the same port, the time it takes
 * to come back, and `reconnectNow()`.
 */
import assert from "node:assert/strict";
import { GatewayClient, GatewayRequestError, type ResumedEvent } from "../client/mod.ts";
import { dataset, startTestNode, type TestNode, wsUrl } from "./_helpers/node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { freePort } from "../testing/free_port.ts";
import { recordFigures } from "./_helpers/figures.ts";
import {
  idsOf,
  newClient,
  onlySession,
  recordStates,
  rejection,
  restoredSession,
  startSlowNode,
  tapSocket,
  tokenOf,
} from "./_helpers/client_kit.ts";

const users = dataset().demoUsers;
const MEMBER = users.member.id;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const BIG = DEMO_GUILD_IDS.bigGuild;

Deno.test("client: a server-side 4009 close mid-request reconnects, re-elevates, re-spectates and resolves once", async () => {
  const slow = await startSlowNode(400);
  const node = slow.node;
  const tap = tapSocket();
  const client = newClient(node, { token: tokenOf(MEMBER), WebSocket: tap.WebSocket });
  try {
    const states = recordStates(client);
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    const first = onlySession(node);
    assert.equal(first.spectating?.guildId, DEMO);

    let settled = 0;
    let seq = -1;
    const pending = client.request("pool_all_request", { type: "member", guild_id: DEMO }, {
      onSeq: (s) => seq = s,
    });
    void pending.then(() => settled++, () => settled++);
    // The backend double holds the answer: the request is certainly outstanding.
    await waitFor(() => slow.poolCalls() >= 1, { message: "pool call reached the backend" });
    assert.equal(settled, 0);
    first.transport.close(4009, "slow consumer");

    const second = await restoredSession(node, MEMBER, DEMO, first);
    assert.ok(second.elevated, "re-elevated");
    const result = await pending;
    const expected = dataset().guild(DEMO)!.members.map((m) => m.id);
    assert.deepEqual(idsOf(result), expected, "complete, in order, no duplicates");
    assert.equal(new Set(idsOf(result)).size, expected.length);
    await sleep(50);
    assert.equal(settled, 1, "settled exactly once");

    assert.equal(client.state, "open");
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    assert.deepEqual(client.spectating, { guildId: DEMO, includeLogs: false });
    const reconnecting = states.find(([s]) => s === "reconnecting");
    assert.ok(reconnecting, "went through reconnecting");
    assert.equal(reconnecting[1].code, 4009);
    assert.equal(tap.sockets.length, 2, "one new socket");
    assert.equal(
      tap.sent.filter((f) => f._event === "pool_all_request" && f._seq === seq).length,
      2,
      "the request was sent once per connection",
    );
    assert.equal(
      tap.received.filter((f) => f.seq === seq && f.finished === true).length,
      1,
      "one terminal chunk reached the client",
    );
    // The restored session serves requests as usual.
    const channels = await client.request("pool_all_request", { type: "channel", guild_id: DEMO });
    assert.equal(channels.data.length, dataset().guild(DEMO)!.channels.length);
  } finally {
    await client.close();
    await slow.stop();
  }
});

Deno.test("client: a 1012 close after part of a pool arrived re-sends it and drops the repeated entities", async () => {
  const node = await startTestNode({}, { bigGuild: true });
  const tap = tapSocket();
  const client = newClient(node, {
    token: tokenOf(MEMBER),
    WebSocket: tap.WebSocket,
    requestTimeoutMs: 15_000,
  });
  try {
    client.connect();
    await client.ready();
    await client.spectate(BIG);
    const first = onlySession(node);

    // Let three chunks of the answer through, then make the connection die:
    // the rest of the chunks of that socket never reach the client.
    let seq = -1;
    let chunksSeen = 0;
    const dead = tap.sockets[0];
    tap.filter = (frame) => {
      if (tap.sockets.at(-1) !== dead) return true;
      if (frame.seq === seq && frame._event === "pool_response") chunksSeen++;
      return chunksSeen <= 3;
    };
    const chunks: Array<{ n: number; finished: boolean }> = [];
    const streamed = (async () => {
      for await (
        const chunk of client.stream("pool_all_request", { type: "member", guild_id: BIG }, {
          onSeq: (s) => seq = s,
        })
      ) chunks.push({ n: chunk.data.length, finished: chunk.finished });
    })();
    const full = client.request("pool_all_request", { type: "member", guild_id: BIG });
    await waitFor(() => chunksSeen > 3, { message: "part of the pool arrived" });
    first.transport.close(1012, "server restarting");

    await restoredSession(node, MEMBER, BIG, first);
    const result = await full;
    await streamed;
    const expected = dataset({ bigGuild: true }).guild(BIG)!.members.map((m) => m.id);
    assert.deepEqual(idsOf(result), expected, "the other request is complete and in order");
    const total = chunks.reduce((n, c) => n + c.n, 0);
    assert.equal(total, 10_000, "the streamed chunks add up to the pool, no repeats");
    assert.equal(chunks.filter((c) => c.finished).length, 1, "one finished chunk");
    assert.equal(chunks.at(-1)?.finished, true);
    assert.equal(tap.sockets.length, 2);
    assert.equal(
      tap.sent.filter((f) => f._event === "pool_all_request" && f._seq === seq).length,
      2,
      "the stream's request was re-sent on the new connection",
    );
    const onWire = tap.received
      .filter((f) => f.seq === seq && f._event === "pool_response")
      .reduce((n, f) => n + (f.data as unknown[]).length, 0);
    assert.ok(onWire > 10_000, `repeats crossed the wire (${onWire}) and were dropped`);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: a terminal 4500 close stops retries, closes the client and fails outstanding requests", async () => {
  const slow = await startSlowNode(300);
  const node = slow.node;
  const client = newClient(node, { token: tokenOf(MEMBER) });
  try {
    const states = recordStates(client);
    client.connect();
    await client.ready();
    const pending = client.request("pool_all_request", { type: "channel", guild_id: DEMO });
    const failed = rejection(pending);
    await waitFor(() => slow.poolCalls() >= 1, { message: "pool call reached the backend" });
    const opened = node.gateway.counters.connectionsOpened;
    onlySession(node).transport.close(4500, "protocol violation");

    const error = await failed;
    assert.equal(error.error, "closed");
    assert.equal(error.code, 0);
    assert.equal(error.details?.code, 4500);
    assert.equal(client.state, "closed");
    assert.equal(client.elevated, false);
    assert.equal(client.userId, null);
    const last = states.at(-1)!;
    assert.equal(last[0], "closed");
    assert.equal(last[1].code, 4500);
    assert.equal(states.filter(([s]) => s === "reconnecting").length, 0, "never reconnecting");

    await sleep(1000);
    assert.equal(node.gateway.counters.connectionsOpened, opened, "no new connection");
    assert.equal(node.gateway.connections.size, 0);
    const late = await rejection(client.request("session", {}));
    assert.equal(late.error, "closed", "new requests fail at once");
    await assert.rejects(client.ready(), GatewayRequestError);
  } finally {
    await client.close();
    await slow.stop();
  }
});

Deno.test("client: reconnects to a restarted node on the same port and restores its session", async () => {
  const listener = Deno.listen({ port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const first = await startTestNode({ PORT: String(port) });
  let second: TestNode | undefined;
  const client = newClient(first, { token: tokenOf(MEMBER) });
  try {
    const states = recordStates(client);
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    assert.equal(onlySession(first).spectating?.guildId, DEMO);

    await first.shutdown(2000);
    await waitFor(() => client.state === "reconnecting", { message: "client reconnecting" });
    assert.ok(
      states.some(([s, d]) => s === "reconnecting" && d.code === 1012),
      `told to reconnect with 1012: ${JSON.stringify(states)}`,
    );
    // Let it fail against the closed port a few times.
    await sleep(300);
    assert.notEqual(client.state, "open");
    assert.notEqual(client.state, "closed");

    second = await startTestNode({ PORT: String(port) });
    assert.equal(second.url.port, String(port));
    const session = await restoredSession(second, MEMBER, DEMO);
    await waitFor(() => client.state === "open", { message: "client open again" });
    assert.equal(session.elevated, true);
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    const ids = dataset().guild(DEMO)!.members.slice(0, 2).map((m) => m.id);
    const result = await client.request("pool_request", {
      type: "member",
      guild_id: DEMO,
      ids: [...ids, "999"],
    });
    assert.deepEqual(idsOf(result), ids);
    assert.deepEqual(result.nonexistent, ["999"]);
  } finally {
    await client.close();
    await first.shutdown(1000);
    await second?.shutdown(1000);
  }
});

Deno.test("client: comes back within 3 s of a restarted node being ready, with default backoff (measured)", async () => {
  const port = freePort();
  let node = await startTestNode({ PORT: String(port) });
  // The library's defaults, as an app gets them: no test backoff here.
  const client = new GatewayClient({ url: wsUrl(node), token: tokenOf(MEMBER) });
  const resumed: ResumedEvent[] = [];
  client.on("resumed", (event) => resumed.push(event));
  const figures: number[] = [];
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    for (let round = 0; round < 3; round++) {
      await node.shutdown(1000);
      await waitFor(() => client.state === "reconnecting");
      // Down long enough for the backoff to reach its cap.
      await sleep(3_000);
      node = await startTestNode({ PORT: String(port) });
      const back = performance.now();
      await restoredSession(node, MEMBER, DEMO);
      await waitFor(() => client.state === "open", { timeoutMs: 10_000 });
      figures.push(Math.round(performance.now() - back));
    }
    for (const ms of figures) assert.ok(ms < 3_000, `back after ${ms} ms`);
    assert.equal(resumed.length, 3);
    assert.ok(resumed.every((r) => r.elevated && r.guildId === DEMO && r.downtimeMs >= 3_000));
    await recordFigures("client-reconnect", { reconnectAfterRestartMs: figures });
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: reconnectNow() skips the wait for a retry, and renews an open connection", async () => {
  const port = freePort();
  let node = await startTestNode({ PORT: String(port) });
  const client = newClient(node, {
    token: tokenOf(MEMBER),
    backoff: { baseMs: 30_000, maxMs: 30_000 },
  });
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    const first = onlySession(node);
    client.reconnectNow();
    const second = await restoredSession(node, MEMBER, DEMO, first);
    await client.ready();
    assert.equal(second.elevated, true);

    await node.shutdown(1000);
    await waitFor(() => client.state === "reconnecting");
    node = await startTestNode({ PORT: String(port) });
    const asked = performance.now();
    client.reconnectNow();
    await restoredSession(node, MEMBER, DEMO);
    await client.ready();
    assert.ok(performance.now() - asked < 2_000, "did not sit out the 30 s backoff");
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});
