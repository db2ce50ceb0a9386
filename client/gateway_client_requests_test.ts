/**
 * GatewayClient against a scripted gateway, for what the real server cannot
 * be made to do on cue: interleaved chunks, late and malformed answers,
 * failures mid-stream. (Refusals the server can produce are tested against
 * it in tests/client_failures_test.ts.)
 */
import assert from "node:assert/strict";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { type FakeConnection, startFakeGateway } from "./_fake_gateway_test.ts";
import { chunk, client, logEvent, member, rejection } from "./_client_helpers_test.ts";
import { GatewayClient } from "./gateway_client.ts";
import type { MalformedFrame } from "./client_types.ts";
import { GatewayRequestError } from "./request_error.ts";

Deno.test("GatewayClient correlates interleaved chunks of two pool requests", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url);
  try {
    c.connect();
    await c.ready();
    assert.equal(c.state, "open");
    assert.equal(c.elevated, false);
    const a = c.request("pool_request", { type: "member", guild_id: "1", ids: ["10", "11"] });
    const b = c.request("pool_all_request", { type: "channel", guild_id: "1" });
    const conn = await gw.connection(0);
    const fa = await conn.take("pool_request");
    const fb = await conn.take("pool_all_request");
    assert.equal(fa._seq! % 2, 1, "odd request ids");
    assert.notEqual(fa._seq, fb._seq);
    conn.send(chunk(fb._seq, [{ id: "20" }], false));
    conn.send(chunk(fa._seq, [member("10")], false));
    conn.send(chunk(fb._seq, [{ id: "21" }], false));
    conn.send(chunk(fa._seq, [], true, { nonexistent: ["11"] }));
    conn.send(chunk(fb._seq, [{ id: "22" }], true));
    assert.deepEqual(await a, { data: [member("10")], nonexistent: ["11"] });
    assert.deepEqual(await b, {
      data: [{ id: "20" }, { id: "21" }, { id: "22" }],
      nonexistent: [],
    });
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient fails a pool request whose terminal chunk carries an error", async () => {
  const gw = startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event !== "pool_request") return;
      conn.send(chunk(frame._seq, [{ id: "1" }], false));
      conn.send(
        chunk(frame._seq, [], true, {
          nonexistent: ["2"],
          error: {
            code: 503,
            error: "backend_unavailable",
            message: "shard down",
            human: "The server is temporarily unavailable.",
          },
        }),
      );
    },
  });
  const c = client(gw.url);
  try {
    c.connect();
    const error = await rejection(
      c.request("pool_request", { type: "user", ids: ["1", "2"] }),
    );
    assert.equal(error.code, 503);
    assert.equal(error.error, "backend_unavailable");
    const streamed: unknown[] = [];
    const stream = c.stream("pool_request", { type: "user", ids: ["1", "2"] });
    const failure = await rejection((async () => {
      for await (const part of stream) streamed.push(part);
    })());
    assert.equal(failure.error, "backend_unavailable");
    assert.deepEqual(streamed, [{ data: [{ id: "1" }], nonexistent: [], finished: false }]);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient times out, then ignores late chunks of that request", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url, { requestTimeoutMs: 60 });
  const malformed: MalformedFrame[] = [];
  const events: unknown[] = [];
  try {
    c.connect();
    await c.ready();
    c.on("malformed", (m) => malformed.push(m));
    c.on("*", (f) => events.push(f));
    const started = Date.now();
    const error = await rejection(c.request("pool_request", { type: "user", ids: ["1"] }));
    assert.equal(error.error, "timeout");
    assert.equal(error.code, 0);
    assert.ok(Date.now() - started >= 50);
    const conn = await gw.connection(0);
    const late = await conn.take("pool_request");
    conn.send(chunk(late._seq, [{ id: "1" }], true));
    // The connection still works, and the late chunk reached nobody.
    const next = c.request("pool_request", { type: "user", ids: ["2"] }, { timeoutMs: 1000 });
    const frame = await conn.take("pool_request");
    conn.send(chunk(frame._seq, [{ id: "2" }], true));
    assert.deepEqual(await next, { data: [{ id: "2" }], nonexistent: [] });
    assert.deepEqual(malformed, []);
    assert.deepEqual(events, []);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient rejects aborted requests and never sends pre-aborted ones", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url);
  try {
    c.connect();
    await c.ready();
    const controller = new AbortController();
    const pending = c.request("pool_request", { type: "user", ids: ["1"] }, {
      signal: controller.signal,
    });
    const conn = await gw.connection(0);
    await conn.take("pool_request");
    controller.abort(new Error("user left the page"));
    const error = await rejection(pending);
    assert.equal(error.error, "aborted");
    const already = await rejection(
      c.request("pool_request", { type: "user", ids: ["2"] }, { signal: controller.signal }),
    );
    assert.equal(already.error, "aborted");
    await sleep(20);
    assert.equal(conn.count("pool_request"), 1);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient queues send() frames while not open, bounded, and flushes them", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url, { maxQueuedFrames: 2 });
  const answers: unknown[] = [];
  c.on("mock_bot_event", (frame) => answers.push(frame.actions));
  const ping = { action: 3001, guildId: 3, messageId: 0, content: "!help" };
  try {
    assert.equal(c.send("ping", ping), true);
    assert.equal(c.send("ping", { ...ping, messageId: 1 }), true);
    assert.equal(c.send("ping", { ...ping, messageId: 2 }), false, "queue is full");
    assert.throws(
      () => c.send("ping", { ...ping, guildId: -1 }),
      (e: unknown) => e instanceof GatewayRequestError && e.error === "invalid_payload",
    );
    c.connect();
    const conn = await gw.connection(0);
    const first = await conn.take("ping");
    const second = await conn.take("ping");
    assert.deepEqual([first.messageId, second.messageId], [0, 1]);
    assert.equal(first._seq, undefined, "fire-and-forget frames carry no _seq");
    conn.send({
      _event: "mock_bot_event",
      guildId: 3,
      actions: [{ action: 3001, messageId: 0, content: "help text" }],
    });
    await waitFor(() => answers.length === 1);
    assert.deepEqual(answers[0], [{ action: 3001, messageId: 0, content: "help text" }]);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient hands malformed frames to on('malformed') and fails their request", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url);
  const malformed: MalformedFrame[] = [];
  c.on("malformed", (m) => malformed.push(m));
  try {
    c.connect();
    await c.ready();
    const conn: FakeConnection = await gw.connection(0);
    conn.send("not json");
    conn.send({ _event: "nonsense" });
    const pending = c.request("pool_request", { type: "user", ids: ["1"] });
    const frame = await conn.take("pool_request");
    conn.send({ _event: "pool_response", seq: frame._seq, finished: "yes" });
    const error = await rejection(pending);
    assert.equal(error.error, "malformed_response");
    await waitFor(() => malformed.length === 3);
    assert.equal(malformed[0]?.reason, "not JSON");
    assert.equal(malformed[1]?.raw, '{"_event":"nonsense"}');
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient tracks log ids per guild and drops replayed events", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url);
  const seen: string[] = [];
  c.on("log_other", (frame) => seen.push(...frame.events.map((e) => e.id)));
  try {
    c.connect();
    await c.ready();
    const conn = await gw.connection(0);
    conn.send({ _event: "log_other", guild_id: "7", events: [logEvent("5"), logEvent("9")] });
    conn.send({ _event: "log_other", guild_id: "7", events: [logEvent("9"), logEvent("10")] });
    conn.send({ _event: "log_other", guild_id: "7", events: [logEvent("8")] });
    conn.send({ _event: "log_other", guild_id: "8", events: [{ ...logEvent("3") }] });
    await waitFor(() => c.lastLogEventId("8") === "3");
    assert.deepEqual(seen, ["5", "9", "10", "3"]);
    assert.equal(c.lastLogEventId("7"), "10");
    assert.equal(c.lastLogEventId("1"), undefined);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient streams chunks and abandons a stream left early", async () => {
  const gw = startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event !== "pool_all_request") return;
      conn.send(chunk(frame._seq, [{ id: "1" }], false));
      conn.send(chunk(frame._seq, [{ id: "2" }], false));
      conn.send(chunk(frame._seq, [{ id: "3" }], true));
    },
  });
  const c = client(gw.url);
  try {
    c.connect();
    const all = [];
    for await (const part of c.stream("pool_all_request", { type: "guild" })) all.push(part);
    assert.deepEqual(all.map((p) => [p.data, p.finished]), [
      [[{ id: "1" }], false],
      [[{ id: "2" }], false],
      [[{ id: "3" }], true],
    ]);
    for await (const part of c.stream("pool_all_request", { type: "guild" })) {
      assert.deepEqual(part.data, [{ id: "1" }]);
      break;
    }
    await sleep(20);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient.close() fails outstanding requests; earlier queued ones were flushed", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url);
  const queued = c.request("session", {});
  c.connect();
  await c.ready();
  const inFlight = rejection(c.request("logs_request", { guild_id: "1" }));
  await (await gw.connection(0)).take("logs_request");
  await c.close();
  assert.equal(c.state, "closed");
  // The queued session was flushed and answered on open.
  assert.equal((await queued)._event, "session_return");
  const error = await inFlight;
  assert.equal(error.error, "closed");
  assert.equal(error.message, "the gateway client is closed");
  await gw.close();
});

Deno.test("GatewayClient rejects invalid payloads without sending them", async () => {
  const c = client("http://127.0.0.1:9/gateway");
  const error = await rejection(
    // @ts-expect-error: the type is checked at runtime too
    c.request("pool_request", { type: "not-a-pool", ids: [] }),
  );
  assert.equal(error.error, "invalid_payload");
  assert.equal(error.code, 422);
  assert.equal(c.state, "idle");
  assert.throws(() => new GatewayClient({ url: "ftp://example.com/" }), TypeError);
  await c.close();
});

Deno.test("GatewayClient.close() fails requests still queued", async () => {
  const c = client("ws://127.0.0.1:9/gateway");
  const queued = rejection(c.request("pool_request", { type: "user", ids: ["1"] }));
  assert.equal(c.state, "idle");
  await c.close();
  assert.equal((await queued).error, "closed");
  assert.equal(c.send("session", {}), false);
});
