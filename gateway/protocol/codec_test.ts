import assert from "node:assert/strict";
import { decodeClientFrame } from "./codec.ts";

Deno.test("decodeClientFrame() normalises aliases and ids", () => {
  const r = decodeClientFrame(
    '{"_event":"pool_all_request","type":"autoResponse","guildId":555822989178961927,"_seq":3}',
  );
  // A JSON number above 2^53 is not a safe integer: it is refused, not rounded.
  assert.equal(r.ok, false);
  const ok = decodeClientFrame(
    '{"_event":"pool_all_request","type":"autoResponse","guildId":"555822989178961927","_seq":3}',
  );
  assert.ok(ok.ok);
  assert.deepEqual(ok.frame, {
    _event: "pool_all_request",
    _seq: 3,
    type: "auto_response",
    guild_id: "555822989178961927",
  });
  const small = decodeClientFrame('{"_event":"spectate","guild_id":123}');
  assert.ok(small.ok && small.frame._event === "spectate" && small.frame.guild_id === "123");
});

Deno.test("decodeClientFrame() accepts the design doc's misspelt removed_reacions", () => {
  const r = decodeClientFrame(
    '{"_event":"interpret","guild_id":5,"message_id":2,"removed_reacions":["👍"]}',
  );
  assert.ok(r.ok && r.frame._event === "interpret");
  assert.deepEqual((r.frame as { removed_reactions: string[] }).removed_reactions, ["👍"]);
});

Deno.test("decodeClientFrame() keeps the seq of an invalid request for its error", () => {
  const r = decodeClientFrame('{"_event":"pool_request","_seq":7,"type":"member"}');
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.seq === 7 && r.error.error === "invalid_payload" && r.error.code === 422);
});

Deno.test("decodeClientFrame() refuses prototype tricks and strips unknown keys", () => {
  const proto = decodeClientFrame('{"_event":"session","__proto__":{"polluted":true},"_seq":1}');
  assert.ok(proto.ok);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.hasOwn(proto.frame, "__proto__"), false);
  const hasOwn = decodeClientFrame('{"_event":"hasOwnProperty"}');
  assert.ok(!hasOwn.ok && hasOwn.error.error === "unknown_event");
  const toString = decodeClientFrame('{"_event":"toString"}');
  assert.ok(!toString.ok && toString.error.error === "unknown_event");
});

Deno.test("decodeClientFrame() bounds id arrays and strings", () => {
  const ids = Array.from({ length: 1001 }, (_, i) => String(i));
  const r = decodeClientFrame(JSON.stringify({ _event: "pool_request", type: "user", ids }));
  assert.ok(!r.ok && r.error.error === "invalid_payload");
  const q = decodeClientFrame(
    JSON.stringify({
      _event: "pool_search",
      type: "member",
      guild_id: "1",
      query: "a".repeat(101),
    }),
  );
  assert.ok(!q.ok);
});

Deno.test("decodeClientFrame() refuses pool types named after Object's prototype", () => {
  for (const type of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
    const r = decodeClientFrame(JSON.stringify({ _event: "pool_all_request", _seq: 1, type }));
    assert.equal(r.ok, false, type);
  }
});

Deno.test("decodeClientFrame() reads request_elevation with a token, a nonce, or the bare nonce", () => {
  const forms: Array<[string, { token?: string; nonce?: string }]> = [
    ['{"_event":"request_elevation","token":"a.b.c"}', { token: "a.b.c" }],
    ['{"_event":"request_elevation","nonce":3735928559}', { nonce: "3735928559" }],
    ['{"_event":"request_elevation","nonce":"0042"}', { nonce: "42" }],
    ['{"_event":"request_elevation","token":3735928559}', { nonce: "3735928559" }],
    ['{"_event":"request_elevation","token":"3735928559"}', { nonce: "3735928559" }],
  ];
  for (const [text, expected] of forms) {
    const r = decodeClientFrame(text);
    assert.ok(r.ok && r.frame._event === "request_elevation", text);
    assert.equal(r.frame.token, expected.token, text);
    assert.equal(r.frame.nonce, expected.nonce, text);
  }
  for (
    const bad of [
      '{"_event":"request_elevation"}',
      '{"_event":"request_elevation","token":"a.b.c","nonce":1}',
      '{"_event":"request_elevation","token":1,"nonce":1}',
      '{"_event":"request_elevation","nonce":-1}',
      '{"_event":"request_elevation","nonce":"1e3"}',
    ]
  ) {
    const r = decodeClientFrame(bad);
    assert.ok(!r.ok && r.error.error === "invalid_payload", bad);
  }
});
