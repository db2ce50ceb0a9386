import assert from "node:assert/strict";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { type FakeConnection, type Frame, startFakeGateway } from "./_fake_gateway_test.ts";
import {
  type ConnectionState,
  GatewayClient,
  type GatewayClientOptions,
  type MalformedFrame,
  type StateDetail,
} from "./gateway_client.ts";
import { GatewayRequestError } from "./request_error.ts";

function client(url: string, options: Partial<GatewayClientOptions> = {}): GatewayClient {
  return new GatewayClient({
    url,
    random: () => 0,
    backoff: { baseMs: 5, maxMs: 20 },
    requestTimeoutMs: 1500,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<GatewayRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayRequestError, `not a GatewayRequestError: ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

function chunk(seq: unknown, data: unknown[], finished: boolean, extra: object = {}) {
  return { _event: "pool_response", seq, finished, data, nonexistent: [], ...extra };
}

const member = (id: string, name = `m${id}`) => ({
  id,
  name,
  discriminator: "0001",
  avatar: null,
  roles: [],
  joined_at: "2020-01-01T00:00:00Z",
});

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

Deno.test("GatewayClient rejects with the fields of an error frame", async () => {
  const gw = startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event !== "logs_request") return;
      conn.send({
        _event: "error",
        seq: frame._seq,
        code: 429,
        error: "rate_limited",
        message: "slow down",
        human: "Too many requests. Please slow down.",
        details: { limit: 5 },
        retry_after: 2.5,
      });
    },
  });
  const c = client(gw.url);
  try {
    c.connect();
    const error = await rejection(c.request("logs_request", { guild_id: "5" }));
    assert.equal(error.code, 429);
    assert.equal(error.error, "rate_limited");
    assert.equal(error.message, "slow down");
    assert.equal(error.human, "Too many requests. Please slow down.");
    assert.deepEqual(error.details, { limit: 5 });
    assert.equal(error.retryAfter, 2.5);
    assert.equal(typeof error.seq, "number");
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

Deno.test("GatewayClient restores elevation, spectate and idempotent requests after a drop", async () => {
  let tokenCalls = 0;
  const gw = startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event === "request_elevation") {
        conn.send({
          _event: "elevation_return",
          seq: frame._seq,
          result: true,
          message: "ok",
          user_id: "42",
          expires_at: 1_900_000_000_000,
        });
      } else if (frame._event === "spectate") {
        conn.send({
          _event: "spectate_return",
          seq: frame._seq,
          guild_id: frame.guild_id,
          tier: "member",
          permissions: 0,
          categories: ["pool", "log.public"],
          logs: "granted",
          ...(frame.since === undefined ? {} : { recovered: true }),
        });
      }
    },
  });
  const states: ConnectionState[] = [];
  const c = client(gw.url, {
    token: () => Promise.resolve(`tok-${++tokenCalls}`),
  });
  c.onState((state) => states.push(state));
  const restored: Frame[] = [];
  c.on("spectate_return", (f) => restored.push(f as unknown as Frame));
  try {
    c.connect();
    await c.ready();
    assert.equal(c.elevated, true);
    assert.equal(c.userId, "42");
    const first = await gw.connection(0);
    assert.equal((await first.take("request_elevation")).token, "tok-1");
    assert.equal(first.count("session"), 0, "a token elevation needs no session");

    const spectated = await c.spectate("7", { includeLogs: true });
    assert.equal(spectated.logs, "granted");
    first.send({
      _event: "log_other",
      guild_id: "7",
      events: [logEvent("100"), logEvent("101")],
    });
    await waitFor(() => c.lastLogEventId("7") === "101");

    const pool = c.request("pool_request", { type: "member", guild_id: "7", ids: ["1", "2", "3"] });
    const interpret = rejection(c.request("ping", {
      action: 3001,
      guildId: 7,
      messageId: 1,
      content: "!help",
    }));
    const poolFrame = await first.take("pool_request");
    await first.take("ping");
    first.send(chunk(poolFrame._seq, [member("1")], false));
    await sleep(20);
    await first.close(4009, "slow consumer");

    const lost = await interpret;
    assert.equal(lost.error, "connection_lost");

    const second = await gw.connection(1);
    const elevation = await second.take("request_elevation");
    assert.equal(elevation.token, "tok-2", "the token is fetched again");
    const respectate = await second.take("spectate");
    assert.equal(respectate.guild_id, "7");
    assert.equal(respectate.include_logs, true);
    assert.equal(respectate.since, "101");
    const resent = await second.take("pool_request");
    assert.equal(resent._seq, poolFrame._seq);
    assert.deepEqual(resent.ids, ["1", "2", "3"]);
    assert.deepEqual(
      second.frames.map((f) => f._event),
      ["request_elevation", "spectate", "pool_request"],
      "restore in order: elevate, spectate, then re-send",
    );
    assert.equal(second.count("ping"), 0, "non-idempotent requests are not re-sent");

    // The server answers the re-sent request from scratch.
    second.send(chunk(resent._seq, [member("1")], false));
    second.send(chunk(resent._seq, [member("2")], true, { nonexistent: ["3"] }));
    assert.deepEqual(await pool, { data: [member("1"), member("2")], nonexistent: ["3"] });
    // A stray second terminal chunk is ignored.
    second.send(chunk(resent._seq, [member("9")], true));

    await c.ready();
    assert.deepEqual(states, ["connecting", "open", "reconnecting", "open"]);
    await waitFor(() => restored.length === 1);
    assert.equal(restored[0]?.recovered, true);
    assert.equal(c.elevated, true);
  } finally {
    await c.close();
    await gw.close();
  }
});

function logEvent(id: string) {
  return {
    id,
    timestamp: 1_700_000_000_000,
    type: 2003,
    origin: 1,
    guild_id: "7",
    content: "hello",
    private: false,
  };
}

Deno.test("GatewayClient learns cookie elevation from session after every connect", async () => {
  let sessions = 0;
  const gw = startFakeGateway({
    answerSession: false,
    onFrame(conn, frame) {
      if (frame._event !== "session") return;
      sessions++;
      conn.send({
        _event: "session_return",
        seq: frame._seq,
        version: 1,
        elevated: true,
        user_id: "9",
        expires_at: 1_900_000_000_000,
        spectating: null,
      });
    },
  });
  const c = client(gw.url);
  try {
    c.connect();
    await c.ready();
    assert.equal(c.elevated, true);
    assert.equal(c.userId, "9");
    assert.equal(c.expiresAt, 1_900_000_000_000);
    (await gw.connection(0)).send({ _event: "demoted", reason: "signed_out" });
    await waitFor(() => !c.elevated);
    assert.equal(c.userId, null);
    await (await gw.connection(0)).close(4010);
    await gw.connection(1);
    await waitFor(() => sessions === 2 && c.state === "open");
    assert.equal(c.elevated, true);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient stops for good on a terminal close code", async () => {
  const gw = startFakeGateway();
  const c = client(gw.url);
  const details: StateDetail[] = [];
  c.onState((state, detail) => state === "closed" && details.push(detail));
  try {
    c.connect();
    await c.ready();
    const pending = rejection(c.request("pool_request", { type: "user", ids: ["1"] }));
    const conn = await gw.connection(0);
    await conn.take("pool_request");
    await conn.close(4500, "protocol violation");
    const error = await pending;
    assert.equal(error.error, "closed", "even idempotent requests fail: nothing will re-send them");
    assert.deepEqual(error.details, { code: 4500, reason: "protocol violation" });
    await waitFor(() => c.state === "closed");
    assert.equal(details[0]?.code, 4500);
    const after = await rejection(c.request("session", {}));
    assert.equal(after.error, "closed");
    await rejection(c.ready());
    await sleep(60);
    assert.equal(gw.connections.length, 1, "no reconnect after 4500");
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient retries with bounded, jittered backoff", async () => {
  const draws = [0.5, 0.25, 1, 0.5, 0];
  let i = 0;
  const gw = startFakeGateway({ onOpen: (conn) => void conn.close(4009) });
  const delays: number[] = [];
  const attempts: number[] = [];
  const c = client(gw.url, {
    random: () => draws[i++ % draws.length] as number,
    backoff: { baseMs: 10, maxMs: 40 },
  });
  c.onState((state, detail) => {
    if (detail.delayMs !== undefined) {
      assert.equal(state, "connecting", "never opened, so still connecting");
      delays.push(detail.delayMs);
      attempts.push(detail.attempt as number);
    }
  });
  try {
    c.connect();
    await waitFor(() => delays.length >= 5);
    // Ceilings 10, 20, 40, 40 (capped), 40; each delay is the draw times its ceiling.
    assert.deepEqual(delays.slice(0, 5), [5, 5, 40, 20, 0]);
    assert.deepEqual(attempts.slice(0, 5), [1, 2, 3, 4, 5]);
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

Deno.test("GatewayClient re-uses a token given to elevate() and resumes a pending spectate", async () => {
  const gw = startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event === "request_elevation") {
        conn.send({
          _event: "elevation_return",
          seq: frame._seq,
          result: frame.token === "abc",
          message: frame.token === "abc" ? "ok" : "bad token",
          ...(frame.token === "abc" ? { user_id: "5" } : {}),
        });
      }
    },
  });
  const c = client(gw.url);
  try {
    await assert.rejects(c.elevate(), (e: unknown) => {
      return e instanceof GatewayRequestError && e.error === "no_token";
    });
    c.connect();
    await c.ready();
    const conn = await gw.connection(0);
    assert.equal((await c.elevate("abc")).result, true);
    assert.equal(c.userId, "5");
    conn.send({ _event: "log_other", guild_id: "7", events: [logEvent("50")] });
    await waitFor(() => c.lastLogEventId("7") === "50");
    // A spectate the server never answers is in flight when the connection drops.
    const spectate = c.spectate("7", { includeLogs: true, since: "40" });
    assert.equal((await conn.take("spectate")).since, "40");
    await conn.close(4009);
    const next = await gw.connection(1);
    assert.equal((await next.take("request_elevation")).token, "abc");
    const resent = await next.take("spectate");
    assert.equal(resent.since, "50", "resumes after the newest event seen, not the caller's since");
    next.send({
      _event: "spectate_return",
      seq: resent._seq,
      guild_id: "7",
      tier: "member",
      permissions: 0,
      categories: ["log.public"],
      logs: "granted",
      recovered: true,
    });
    assert.equal((await spectate).recovered, true);
    assert.equal(next.count("spectate"), 1, "no second, restoring spectate");
    assert.deepEqual(c.spectating, { guildId: "7", includeLogs: true });
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient starts the backoff over once a connection stayed open", async () => {
  // The first two connections are refused at once; the third stays up.
  const gw = startFakeGateway({ onOpen: (conn) => conn.index < 2 && void conn.close(4009) });
  const c = client(gw.url, {
    random: () => 1,
    backoff: { baseMs: 4, maxMs: 100, resetAfterMs: 30 },
  });
  const details: Array<[ConnectionState, StateDetail]> = [];
  c.onState((state, detail) => details.push([state, detail]));
  try {
    c.connect();
    await c.ready();
    assert.deepEqual(details.map(([s, d]) => [s, d.attempt, d.delayMs]), [
      ["connecting", undefined, undefined],
      ["connecting", 1, 4],
      ["connecting", 2, 8],
      ["open", undefined, undefined],
    ]);
    await sleep(60);
    await (await gw.connection(2)).close(4009);
    await waitFor(() => details.length === 5);
    assert.deepEqual(details.map(([s, d]) => [s, d.attempt, d.delayMs])[4], ["reconnecting", 1, 4]);
    await c.ready();
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient sends a non-idempotent request queued during a reconnect", async () => {
  const gw = startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event !== "interpret") return;
      conn.send({ _event: "mock_bot_event", seq: frame._seq, guildId: 1, actions: [] });
    },
  });
  const c = client(gw.url, { backoff: { baseMs: 40, maxMs: 40 }, random: () => 1 });
  try {
    c.connect();
    await c.ready();
    await (await gw.connection(0)).close(4009);
    await waitFor(() => c.state === "reconnecting");
    const answer = await c.request("interpret", { guild_id: 1, message_id: 2, content: "hi" });
    assert.equal(answer._event, "mock_bot_event");
    assert.equal(gw.connections.length, 2);
  } finally {
    await c.close();
    await gw.close();
  }
});

Deno.test("GatewayClient uses an injected WebSocket and turns http(s) urls into ws(s)", async () => {
  const made: InMemorySocket[] = [];
  class InMemorySocket extends EventTarget {
    readyState = 0;
    readonly sent: string[] = [];
    constructor(readonly url: string) {
      super();
      made.push(this);
      setTimeout(() => {
        this.readyState = 1;
        this.dispatchEvent(new Event("open"));
      }, 0);
    }
    send(text: string): void {
      this.sent.push(text);
      const frame = JSON.parse(text);
      if (frame._event !== "session") return;
      setTimeout(() => {
        const answer = { _event: "session_return", seq: frame._seq, version: 1, elevated: true };
        const full = { ...answer, user_id: "3", expires_at: null, spectating: null };
        this.dispatchEvent(new MessageEvent("message", { data: JSON.stringify(full) }));
      }, 0);
    }
    close(code = 1000): void {
      this.readyState = 3;
      setTimeout(() => this.dispatchEvent(new CloseEvent("close", { code })), 0);
    }
  }
  const c = new GatewayClient({
    url: "https://gateway.example/gateway",
    WebSocket: InMemorySocket as unknown as typeof WebSocket,
  });
  c.connect();
  await c.ready();
  assert.equal(made[0]?.url, "wss://gateway.example/gateway");
  assert.equal(c.userId, "3");
  assert.deepEqual(made[0]?.sent.map((t) => JSON.parse(t)._event), ["session"]);
  await c.close();
});
