/**
 * Generated input: the decoder and a live connection never answer outside the protocol; tokens never leak.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { WsClient } from "./_helpers/ws_client.ts";
import { captured, dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import {
  AnyServerFrame,
  CLIENT_FRAMES,
  decodeClientFrame,
  ErrorCode,
} from "../gateway/protocol/mod.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const EVENTS = Object.keys(CLIENT_FRAMES);

Deno.test("fuzz: the frame decoder never throws and its errors are well-formed", () => {
  const known = fc.constantFrom(...EVENTS);
  const value = fc.jsonValue({ maxDepth: 4 });
  const frame = fc.oneof(
    fc.string(),
    fc.json(),
    fc.dictionary(fc.string({ maxLength: 12 }), value).map((o) => JSON.stringify(o)),
    fc.record({ _event: known, _seq: fc.oneof(fc.nat(), value) }, { requiredKeys: ["_event"] })
      .chain((base) =>
        fc.dictionary(
          fc.constantFrom(
            "guild_id",
            "ids",
            "type",
            "token",
            "query",
            "limit",
            "since",
            "include_logs",
            "action",
            "guildId",
            "messageId",
            "content",
            "emoji",
            "filter",
            "before",
            "after",
            "online",
          ),
          value,
        )
          .map((extra) => JSON.stringify({ ...extra, ...base }))
      ),
  );
  let runs = 0;
  fc.assert(
    fc.property(frame, (text) => {
      runs++;
      const r = decodeClientFrame(text);
      if (r.ok) return EVENTS.includes(r.frame._event);
      return Object.hasOwn(ErrorCode, r.error.error) &&
        r.error.code === ErrorCode[r.error.error as keyof typeof ErrorCode] &&
        typeof r.error.human === "string";
    }),
    { numRuns: 20_000 },
  );
  assert.equal(runs, 20_000);
});

Deno.test("fuzz: generated frames through a live connection get only protocol-valid answers", async () => {
  await withNode(
    { RATE_LIMIT_BURST: "100000", RATE_LIMIT_PER_SECOND: "100000" },
    async (node, clients) => {
      const c = await WsClient.connect(wsUrl(node), {
        cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
      });
      clients.push(c);
      const ids = fc.constantFrom(DEMO, users.member.id, "1", "abc", DEMO_GUILD_IDS.bigGuild);
      const frame = fc.record({
        _event: fc.constantFrom(...EVENTS),
        _seq: fc.nat({ max: 1000 }),
        guild_id: fc.oneof(ids, fc.constant(null)),
        ids: fc.array(ids, { maxLength: 5 }),
        type: fc.constantFrom(
          "member",
          "channel",
          "role",
          "customEmoji",
          "auto_response",
          "setting_value",
          "user",
          "partial_user",
          "guild",
          "partial_guild",
          "nope",
        ),
        query: fc.string({ minLength: 1, maxLength: 5 }),
        include_logs: fc.boolean(),
        action: fc.constantFrom(3001, 3100, 3101, 7),
        guildId: fc.nat({ max: 20_000_000 }),
        messageId: fc.nat({ max: 50 }),
        content: fc.constantFrom("!help", "!poll a, b", "hi", "!set a::b", ""),
        emoji: fc.constantFrom("✅", "1️⃣", ""),
        limit: fc.integer({ min: -1, max: 600 }),
      }, { requiredKeys: ["_event", "_seq"] });
      const samples = fc.sample(frame, 3000);
      for (let i = 0; i < samples.length; i += 100) {
        const from = c.frames.length;
        for (const f of samples.slice(i, i + 100)) c.send(f);
        c.send({ _event: "session", _seq: 5_000_000 + i });
        await c.next((f) => f.seq === 5_000_000 + i, { from, timeoutMs: 20_000 });
      }
      for (const f of c.frames) {
        const parsed = AnyServerFrame.safeParse(f);
        assert.ok(parsed.success, JSON.stringify(f).slice(0, 300));
      }
      assert.equal(c.socket.readyState, WebSocket.OPEN, "still connected");
    },
  );
});

Deno.test("tokens never appear in diagnostics or answers", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node));
    clients.push(c);
    const good = await tokenFor(users.member.id);
    const expired = await tokenFor(users.member.id, { ttlSeconds: 1, now: Date.now() - 60_000 });
    const wrong = await tokenFor(users.member.id, { secret: "nope" });
    const cookieConn = await WsClient.connect(wsUrl(node), { cookie: `dev-token=${wrong}` });
    clients.push(cookieConn);
    for (const [i, token] of [good, expired, wrong, "a.b.c"].entries()) {
      await c.ask({ _event: "request_elevation", _seq: i, token });
      await c.ask({
        _event: "pool_all_request",
        _seq: 10 + i,
        type: "channel",
        guild_id: DEMO,
        token,
      });
    }
    const fragments = [good, expired, wrong].map((t) => t.split(".")[2]!.slice(0, 16));
    for (const line of captured) {
      for (const f of fragments) {
        assert.ok(!line.includes(f), `a token leaked into a log line: ${line.slice(0, 120)}`);
      }
    }
    for (const frame of c.frames) {
      for (const f of fragments) {
        assert.ok(!JSON.stringify(frame).includes(f), "a token leaked into an answer");
      }
    }
  });
});
