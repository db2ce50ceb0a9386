import assert from "node:assert/strict";
import fc from "fast-check";
import * as gateway from "../../gateway/protocol/mod.ts";
import * as client from "./mod.ts";

const id = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String);

Deno.test("the client's protocol helpers agree with the gateway's on any input", () => {
  fc.assert(fc.property(id, id, (a, b) => {
    assert.equal(client.compareIds(a, b), gateway.compareIds(a, b));
    assert.equal(client.hoarFrostTime(a), gateway.hoarFrostTime(a));
  }));
  fc.assert(fc.property(fc.integer({ min: 0, max: 6000 }), fc.nat(), fc.nat(), (code, x, y) => {
    assert.equal(client.shouldReconnect(code), gateway.shouldReconnect(code));
    assert.equal(client.hasPermission(x, y), gateway.hasPermission(x, y));
  }));
  for (const type of client.POOL_TYPES) {
    assert.equal(client.isGuildPool(type), gateway.isGuildPool(type), type);
  }
  // ("toString" is left out: the gateway's alias lookup reads the prototype; reported.)
  const names = [...client.POOL_TYPES, ...Object.keys(client.POOL_TYPE_ALIASES), "x"];
  for (const name of names) {
    const parsed = gateway.PoolTypeName.safeParse(name);
    assert.equal(client.canonicalPoolType(name), parsed.success ? parsed.data : undefined, name);
  }
});

Deno.test("logEventTypeName names every log event type by its number", () => {
  for (const [name, value] of Object.entries(gateway.LogEventType)) {
    assert.equal(client.logEventTypeName(value), name);
  }
  assert.equal(client.logEventTypeName(99_999), undefined);
  assert.equal(client.canonicalPoolType("toString"), undefined);
  assert.equal(client.closeCodeName(4008), "rateLimited");
  assert.equal(client.closeCodeName(1), undefined);
});

Deno.test("client frame checks accept what the gateway accepts and refuse what it refuses", () => {
  const frames: Array<Record<string, unknown>> = [
    { _event: "session", _seq: 3 },
    { _event: "spectate", _seq: 5, guild_id: "555822989178961927", include_logs: true },
    { _event: "spectate", guild_id: null },
    { _event: "spectate", guild_id: "seven" },
    { _event: "pool_request", type: "member", guild_id: "1", ids: ["1", "prefix"] },
    { _event: "pool_request", type: "not-a-pool", ids: [] },
    { _event: "pool_request", type: "autoResponse", guild_id: "1", ids: [] },
    { _event: "pool_search", type: "member", guild_id: "1", query: "", limit: 5 },
    { _event: "pool_search", type: "member", guild_id: "1", query: "al", limit: 500 },
    { _event: "logs_request", guild_id: "1", limit: 0 },
    { _event: "ping", action: 3001, guildId: -1, messageId: 0 },
    { _event: "ping", action: 3001, guildId: 3, messageId: 0, content: "!help" },
    { _event: "nope" },
  ];
  for (const frame of frames) {
    const ours = client.checkClientFrame(frame).ok;
    const theirs = gateway.decodeClientFrame(JSON.stringify(frame)).ok;
    assert.equal(ours, theirs, JSON.stringify(frame));
  }
});

Deno.test("server frame checks refuse frames that do not match, and allow extra fields", () => {
  const ok = client.checkServerFrame({
    _event: "pool_response",
    seq: 3,
    finished: true,
    data: [],
    nonexistent: [],
    added_later: 1,
  });
  assert.equal(ok.ok, true);
  const bad = client.checkServerFrame({
    _event: "pool_response",
    seq: 3,
    finished: "yes",
    data: [],
    nonexistent: [],
  });
  assert.deepEqual(bad, { ok: false, reason: "finished: expected boolean, got string" });
  assert.equal(client.checkServerFrame({ _event: "nonsense" }).ok, false);
  assert.equal(client.checkServerFrame([1]).ok, false);
});

Deno.test("server frame checks name the path of a problem deep in a frame", () => {
  const event = {
    id: "1",
    timestamp: 1,
    type: 3001,
    origin: 1,
    guild_id: "5",
    content: "hi",
    private: false,
  };
  const bad = client.checkServerFrame({
    _event: "log_other",
    guild_id: "5",
    events: [event, { ...event, id: "01" }],
  });
  assert.deepEqual(bad, {
    ok: false,
    reason: "events.1.id: does not match ^(0|[1-9][0-9]{0,19})$",
  });
  const missing = client.checkServerFrame({
    _event: "log_other",
    guild_id: "5",
    events: [event, { ...event, content: undefined }],
  });
  assert.deepEqual(missing, { ok: false, reason: "events.1: content is required" });
  assert.equal(
    client.checkServerFrame({ _event: "log_other", guild_id: "5", events: [event] }).ok,
    true,
  );
});
