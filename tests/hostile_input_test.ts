/**
 * A corpus of hostile frames, and hostile transport: every one gets a documented answer or close code.
 *
 * @module
 */
import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { RawWs } from "./_helpers/raw_ws.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { AnyServerFrame, CLIENT_FRAMES, ErrorCode } from "../gateway/protocol/mod.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const EVENTS = Object.keys(CLIENT_FRAMES);

/** Builds the corpus: at least 200 malformed or hostile text frames. */
function corpus(): string[] {
  const out: string[] = [];
  const deep = (n: number, open: string, close: string) => open.repeat(n) + close.repeat(n);
  // Broken JSON.
  out.push(
    "",
    " ",
    "{",
    "}",
    "{]",
    "[",
    "nul",
    "tru",
    "{'a':1}",
    '{"_event":}',
    '{"_event":"session",}',
  );
  out.push(
    '{"_event":"session" "_seq":1}',
    "\u0000",
    "\uFEFF{}",
    '{"a":1}{"b":2}',
    "NaN",
    "Infinity",
    "-0",
  );
  // Not objects.
  out.push("[]", "[{}]", "1", "-1", "1e309", '"x"', "true", "false", "null", '"\\u0000"');
  // Deep nesting (inside and outside known fields).
  for (const n of [10, 100, 1000, 5000, 15000]) {
    out.push(deep(n, "[", "]"));
    out.push(
      `{"_event":"session","_seq":1,"x":${deep(n, '{"a":', "}").replace(/\{"a":\}/, '{"a":1}')}}`,
    );
    out.push(
      `{"_event":"pool_request","_seq":2,"type":"member","guild_id":"${DEMO}","ids":${
        deep(Math.min(n, 2000), "[", "]")
      }}`,
    );
  }
  // Prototype tricks.
  for (
    const key of ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"]
  ) {
    out.push(`{"_event":"${key}","_seq":3}`);
    out.push(`{"_event":"session","_seq":4,"${key}":{"polluted":true}}`);
    out.push(`{"_event":"spectate","_seq":5,"guild_id":{"${key}":1}}`);
    out.push(`{"${key}":{"_event":"session"}}`);
  }
  // Unknown events and wrong envelope types.
  for (
    const ev of [
      "",
      " ",
      "SESSION",
      "pool",
      "log_other",
      "error",
      "pool_response",
      "x".repeat(500),
      "💥",
    ]
  ) {
    out.push(JSON.stringify({ _event: ev, _seq: 6 }));
  }
  for (const v of [1, 1.5, -1, null, true, [], {}, "1"]) {
    out.push(JSON.stringify({ _event: v, _seq: 7 }));
    out.push(JSON.stringify({ _event: "session", _seq: v }));
  }
  // Every event with missing fields, wrong types and hostile values.
  const hostile: unknown[] = [
    null,
    true,
    -1,
    1.5,
    2 ** 64,
    1e308,
    "",
    "x".repeat(70_000).slice(0, 3000),
    [],
    {},
    [null],
    ["1", 2],
    "<script>",
    "../../etc/passwd",
    "1".repeat(25),
  ];
  for (const ev of EVENTS) {
    out.push(JSON.stringify({ _event: ev, _seq: 8 }));
    for (
      const field of [
        "guild_id",
        "ids",
        "type",
        "token",
        "query",
        "limit",
        "since",
        "action",
        "guildId",
        "messageId",
        "content",
        "before",
        "filter",
      ]
    ) {
      for (const v of hostile.slice(0, 6)) {
        out.push(JSON.stringify({ _event: ev, _seq: 9, [field]: v }));
      }
    }
  }
  // Huge numbers and ids.
  out.push(`{"_event":"spectate","_seq":10,"guild_id":123456789012345678901234567890}`);
  out.push(`{"_event":"spectate","_seq":11,"guild_id":"123456789012345678901"}`);
  out.push(`{"_event":"spectate","_seq":12,"guild_id":"18446744073709551616"}`);
  out.push(`{"_event":"pool_request","_seq":13,"type":"user","ids":[1e400]}`);
  out.push(`{"_event":"session","_seq":1e400}`);
  // Oversized arrays of ids, long strings.
  out.push(
    JSON.stringify({
      _event: "pool_request",
      _seq: 14,
      type: "user",
      ids: Array.from({ length: 1001 }, (_, i) => String(i)),
    }),
  );
  out.push(
    JSON.stringify({
      _event: "pool_request",
      _seq: 15,
      type: "user",
      ids: Array.from({ length: 5000 }, () => "1"),
    }),
  );
  out.push(
    JSON.stringify({
      _event: "pool_search",
      _seq: 16,
      type: "member",
      guild_id: DEMO,
      query: "q".repeat(5000),
    }),
  );
  out.push(JSON.stringify({ _event: "request_elevation", _seq: 17, token: "t".repeat(9000) }));
  out.push(
    JSON.stringify({
      _event: "ping",
      _seq: 18,
      action: 3001,
      guildId: 1,
      messageId: 0,
      content: "c".repeat(2001),
    }),
  );
  // Unicode oddities (valid UTF-8 in JSON text).
  out.push(
    '{"_event":"session","_seq":19,"x":"\\ud800"}',
    '{"_event":"ping","action":3001,"guildId":1,"messageId":0,"content":"\\udfff\\u0000"}',
  );
  return out;
}

type Frame = Record<string, unknown>;

Deno.test("hostile corpus: every frame gets a documented answer and nobody else notices", async () => {
  const frames = corpus();
  assert.ok(frames.length >= 200, `${frames.length} frames`);
  await withNode(
    { RATE_LIMIT_BURST: "100000", RATE_LIMIT_PER_SECOND: "100000" },
    async (node, clients) => {
      const bystander = await WsClient.connect(wsUrl(node), {
        cookie: `dev-token=${await tokenFor(users.member.id)}`,
      });
      clients.push(bystander);
      await bystander.ask({ _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true });
      let attacker = await WsClient.connect(wsUrl(node));
      clients.push(attacker);
      let i = 0;
      let closes = 0;
      for (const text of frames) {
        const from = attacker.frames.length;
        attacker.send(text);
        // Close the round with a probe the attacker sends itself: everything before it is answered.
        attacker.send({ _event: "session", _seq: 999_999 });
        const probe = await Promise.race([
          attacker.next((f) => f.seq === 999_999, { from }).catch(() => null),
          attacker.closed.then(() => null),
        ]);
        if (probe === null) {
          // Only an oversize frame may close the connection, with 1009.
          assert.ok(
            new TextEncoder().encode(text).length > 65536,
            `closed by ${text.slice(0, 80)}`,
          );
          assert.equal((await attacker.closed).code, 1009);
          closes++;
        } else {
          const answers = attacker.frames.slice(from, attacker.frames.indexOf(probe, from));
          assert.equal(probe._event, "session_return");
          for (const a of answers) {
            assert.ok(
              AnyServerFrame.safeParse(a).success,
              `fits the protocol: ${JSON.stringify(a).slice(0, 200)}`,
            );
            const err = (a._event === "error" ? a : a.error) as Frame | undefined;
            if (err !== undefined) {
              assert.ok(
                Object.hasOwn(ErrorCode, err.error as string),
                `documented error ${err.error}`,
              );
              assert.equal(err.code, ErrorCode[err.error as keyof typeof ErrorCode]);
            }
          }
        }
        if (++i % 50 === 0) {
          // The bystander is unaffected: it still answers and still receives its stream.
          await node.logTraffic!.publish(3, DEMO);
          const s = await bystander.ask({ _event: "session", _seq: 100 + i });
          assert.equal(s.elevated, true);
        }
        if (attacker.socket.readyState !== WebSocket.OPEN) {
          attacker = await WsClient.connect(wsUrl(node));
          clients.push(attacker);
        }
      }
      assert.ok(bystander.received((f) => f._event === "log_other").length > 0);
    },
  );
});

Deno.test("hostile transport: oversize, binary and invalid UTF-8 frames get their close codes", async () => {
  await withNode({ MAX_FRAME_BYTES: "65536" }, async (node, clients) => {
    const bystander = await WsClient.connect(wsUrl(node));
    clients.push(bystander);
    const big = await WsClient.connect(wsUrl(node));
    big.send("x".repeat(65_537));
    assert.equal((await big.closed).code, 1009);
    const bin = await WsClient.connect(wsUrl(node));
    clients.push(bin);
    bin.socket.send(new Uint8Array(70_000));
    assert.equal((await bin.closed).code, 1009, "an oversize binary frame closes too");
    const small = await WsClient.connect(wsUrl(node));
    clients.push(small);
    small.socket.send(new Uint8Array([0xff, 0xfe]));
    assert.equal((await small.next((f) => f._event === "error")).error, "bad_frame");
    // Invalid UTF-8 in a text frame: the WebSocket layer closes with 1007.
    const raw = await RawWs.connect(new URL("/gateway", node.url));
    const bytes = new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]);
    const mask = new Uint8Array([1, 2, 3, 4]);
    const frame = new Uint8Array([
      0x81,
      0x80 | bytes.length,
      ...mask,
      ...bytes.map((b, i) => b ^ mask[i % 4]!),
    ]);
    await raw.conn.write(frame);
    const { closeCode } = await raw.read(() => false, 5000);
    raw.close();
    assert.equal(closeCode, 1007);
    assert.equal((await bystander.ask({ _event: "session", _seq: 1 }))._event, "session_return");
  });
});
