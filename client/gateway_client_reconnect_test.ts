/**
 * GatewayClient's reconnects against a scripted gateway: the exact restore
 * sequence, backoff draws and queued frames, which a real server cannot be
 * made to show frame by frame. Restarts of a real node are in
 * tests/client_reconnect_test.ts.
 */
import assert from "node:assert/strict";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { type Frame, startFakeGateway } from "./_fake_gateway_test.ts";
import { chunk, client, logEvent, member, rejection } from "./_client_helpers_test.ts";
import { GatewayClient } from "./gateway_client.ts";
import type { ConnectionState, StateDetail } from "./client_types.ts";
import { GatewayRequestError } from "./request_error.ts";

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
    // Decorrelated: each delay is drawn from [10, min(40, 3 × the previous)]:
    // [10, 30], [10, 40] (capped), and [10, 40] from then on.
    assert.deepEqual(delays.slice(0, 5), [20, 17.5, 40, 25, 10]);
    assert.deepEqual(attempts.slice(0, 5), [1, 2, 3, 4, 5]);
  } finally {
    await c.close();
    await gw.close();
  }
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
      ["connecting", 1, 12],
      ["connecting", 2, 36],
      ["open", undefined, undefined],
    ]);
    await sleep(60);
    await (await gw.connection(2)).close(4009);
    await waitFor(() => details.length === 5);
    assert.deepEqual(details.map(([s, d]) => [s, d.attempt, d.delayMs])[4], [
      "reconnecting",
      1,
      12,
    ]);
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
