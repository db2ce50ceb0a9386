/**
 * Wire compatibility with the current archit.us web client (its raw
 * WebSocket era: `_event` envelopes, `_seq` / `seq`, snake_case pool keys,
 * `nonexistent`): the exact frames it sends, checked against decoders that
 * mirror its io-ts types field by field. These schemas are the client's,
 * written out here on purpose, not imported from our protocol module.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";

const Snowflake = z.string().regex(/^[0-9]{7,20}$/);
const HoarFrost = z.string().regex(/^[0-9]{7,20}$/);
const option = <T extends z.ZodType>(t: T) => t.nullable().optional();

const PoolResponse = z.object({
  _event: z.literal("pool_response"),
  seq: z.number(),
  finished: z.boolean(),
  data: z.array(z.unknown()),
  nonexistent: z.array(z.string()),
});

const ENTITIES: Record<string, z.ZodType> = {
  partial_guild: z.object({
    id: Snowflake,
    name: z.string(),
    architus_admin: z.boolean(),
    has_architus: z.boolean(),
    icon: option(z.string()),
    permissions: option(z.number()),
    member_count: z.number(),
  }),
  guild: z.object({
    id: Snowflake,
    name: z.string(),
    architus_admin: z.boolean(),
    owner: z.boolean(),
    permissions: z.number(),
    features: z.array(z.string()),
    has_architus: z.boolean(),
    icon: option(z.string()),
    splash: option(z.string()),
    region: option(z.array(z.string())),
    member_count: option(z.number()),
  }),
  member: z.object({
    id: Snowflake,
    name: z.string(),
    discriminator: z.string(),
    joined_at: z.string().refine((s) => Number.isFinite(Date.parse(s)), "ISO date"),
    avatar: option(z.string()),
    color: option(z.string()),
    nick: option(z.string()),
    roles: z.array(Snowflake),
  }),
  partial_user: z.object({
    id: Snowflake,
    username: z.string(),
    discriminator: z.number(),
    avatar: option(z.string()),
  }),
  channel: z.object({ id: Snowflake, name: z.string() }),
  customEmoji: z.object({
    id: HoarFrost,
    name: z.string(),
    discordId: option(Snowflake),
    authorId: Snowflake,
    url: z.string(),
    numUses: z.number(),
    priority: z.number(),
  }),
  auto_response: z.object({
    id: HoarFrost,
    trigger: z.string(),
    response: z.string(),
    author_id: option(Snowflake),
    guild_id: Snowflake,
    trigger_regex: z.string(),
    trigger_punctuation: z.string(),
    response_tokens: z.array(z.tuple([z.string(), z.string()])),
    count: z.number(),
    mode: z.enum(["punctuated", "naive", "regex"]),
  }),
};

const MockBotEvent = z.object({
  _event: z.literal("mock_bot_event"),
  guildId: z.number(),
  actions: z.array(z.discriminatedUnion("action", [
    z.object({ action: z.literal(3001), messageId: z.number(), content: z.string() }),
    z.object({ action: z.literal(3002), messageId: z.number(), content: z.string() }),
    z.object({ action: z.literal(72), messageId: z.number() }),
    z.object({ action: z.literal(3100), messageId: z.number(), emoji: z.string() }),
    z.object({
      action: z.literal(3101),
      messageId: z.number(),
      emoji: z.string(),
      targetsUser: z.boolean(),
    }),
  ])),
});

/** Sends raw text exactly as the client serialises it and collects the answers to `seq`. */
async function exchange(
  c: WsClient,
  raw: string,
  seq: number,
): Promise<Array<Record<string, unknown>>> {
  return await c.request({ ...JSON.parse(raw), _seq: seq }, 10_000);
}

Deno.test("archit.us client frames get answers its decoders accept", async () => {
  await withNode({}, async (node, clients) => {
    // The client opens /authenticated and relies on the dev-token cookie.
    const c = await WsClient.connect(wsUrl(node, "/authenticated"), {
      cookie: `dev-token=${await tokenFor(dataset().demoUsers.architusAdmin.id)}`,
    });
    clients.push(c);
    const guild = DEMO_GUILD_IDS.architusDemo;
    const g = dataset().guild(guild)!;
    const sends: Array<[string, string, number]> = [
      ['{"_event":"pool_all_request","type":"partial_guild","_seq":3}', "partial_guild", 3],
      ['{"_event":"pool_all_request","type":"guild","_seq":5}', "guild", 5],
      [`{"_event":"pool_request","type":"guild","ids":["${guild}"],"_seq":7}`, "guild", 7],
      [
        `{"_event":"pool_request","type":"member","guild_id":"${guild}","ids":["${
          g.members[1]!.id
        }","${g.members[2]!.id}"],"_seq":9}`,
        "member",
        9,
      ],
      [
        `{"_event":"pool_all_request","type":"channel","guild_id":"${guild}","_seq":11}`,
        "channel",
        11,
      ],
      [
        `{"_event":"pool_all_request","type":"customEmoji","guild_id":"${guild}","_seq":13}`,
        "customEmoji",
        13,
      ],
      [
        `{"_event":"pool_all_request","type":"auto_response","guild_id":"${guild}","_seq":15}`,
        "auto_response",
        15,
      ],
      [
        `{"_event":"pool_request","type":"partial_user","ids":["${g.members[3]!.id}"],"_seq":17}`,
        "partial_user",
        17,
      ],
      // The Socket.IO-era names still work.
      [
        `{"_event":"pool_all_request","type":"autoResponse","guildId":"${guild}","_seq":19}`,
        "auto_response",
        19,
      ],
    ];
    for (const [raw, type, seq] of sends) {
      const frames = await exchange(c, raw, seq);
      let entities = 0;
      for (const f of frames) {
        const parsed = PoolResponse.safeParse(f);
        assert.ok(parsed.success, `${raw}: ${JSON.stringify(f).slice(0, 200)}`);
        for (const entity of parsed.data.data) {
          const e = ENTITIES[type]!.safeParse(entity);
          assert.ok(
            e.success,
            `${type} entity: ${JSON.stringify(entity).slice(0, 200)} ${e.error}`,
          );
          entities++;
        }
      }
      assert.equal(frames.at(-1)!.finished, true);
      assert.ok(entities > 0, `${type} returned entities`);
    }
    // Interpret: `ping` without a request id, answered by mock_bot_event matched on guildId.
    const from = c.frames.length;
    c.send(
      '{"_event":"ping","action":3001,"guildId":123,"messageId":0,"content":"!help","allowedCommands":["set","remove"],"silent":false}',
    );
    const bot = await c.next((f) => f._event === "mock_bot_event", { from });
    const parsed = MockBotEvent.safeParse(bot);
    assert.ok(parsed.success, JSON.stringify(bot));
    assert.equal(parsed.data.guildId, 123);
    assert.ok(parsed.data.actions.every((a) => a.messageId % 2 === 1), "bot ids are odd");
  });
});
