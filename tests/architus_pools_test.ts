/**
 * `BACKEND_PROTOCOL=architus`: every pool through the gateway from a
 * stand-in shard that answers only the original signatures, in today's
 * names and shapes; the guild list merged from every shard and Discord.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  AutoResponse,
  Channel,
  CustomEmoji,
  Guild,
  Member,
  PartialGuild,
  PartialUser,
  Role,
  User,
} from "../gateway/protocol/mod.ts";
import {
  GUILD_A,
  GUILD_B,
  GUILD_C,
  MEMBER,
  OWNER,
  UNCACHED,
  UNKNOWN_GUILD,
} from "../testing/architus_shard_data.ts";
import { pool, withArchitus } from "./_helpers/architus.ts";

const broker = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

/** Asserts every entity has today's shape for its pool. */
function shaped(
  schema: { safeParse(value: unknown): { success: boolean; error?: { message: string } } },
  entities: readonly unknown[],
): void {
  assert.ok(entities.length > 0, "some entities");
  for (const e of entities) {
    const parsed = schema.safeParse(e);
    assert.ok(parsed.success, `${JSON.stringify(e)}: ${parsed.error?.message}`);
  }
}

const ids = (data: ReadonlyArray<Record<string, unknown>>) => data.map((e) => e.id);

broker(
  "the architus backend serves members, users and emoji by id in the shard's two phases",
  async () => {
    await withArchitus(async ({ client, shard }) => {
      const c = await client(OWNER);
      const members = await pool(c, {
        _event: "pool_request",
        _seq: 1,
        type: "member",
        guild_id: GUILD_A,
        ids: [OWNER, UNCACHED, "1"],
      });
      assert.deepEqual(ids(members.data), [OWNER, UNCACHED]);
      assert.deepEqual(members.nonexistent, ["1"], "the shard's nonexistant, respelt");
      shaped(Member, members.data);
      const phases = shard.called("pool_request").map((call) => [call.args[3], call.args[4]]);
      assert.deepEqual(phases, [[[OWNER, UNCACHED, "1"], false], [[UNCACHED, "1"], true]]);
      const first = shard.called("pool_request")[0]!.args;
      assert.equal(
        first[0],
        BigInt(OWNER),
        "the user id as the original sent it: an exact JSON int",
      );
      assert.equal(first[1], GUILD_A, "the guild id as the client sent it");

      const users = await pool(c, {
        _event: "pool_request",
        _seq: 2,
        type: "user",
        ids: [MEMBER, UNCACHED],
      });
      assert.deepEqual(ids(users.data), [MEMBER, UNCACHED]);
      shaped(User, users.data);
      const partial = await pool(c, {
        _event: "pool_request",
        _seq: 3,
        type: "partial_user",
        ids: [MEMBER],
      });
      shaped(PartialUser, partial.data);
      assert.equal(partial.data[0]!.discriminator, 7145);

      // A fetched custom emoji comes back as `{}`: it is nonexistent, not an entity.
      const emoji = await pool(c, {
        _event: "pool_request",
        _seq: 4,
        type: "customEmoji",
        guild_id: GUILD_A,
        ids: ["30000000000000001", "30000000000000003"],
      });
      assert.deepEqual(ids(emoji.data), ["30000000000000001"]);
      assert.deepEqual(emoji.nonexistent, ["30000000000000003"]);
      shaped(CustomEmoji, emoji.data);
    });
  },
);

broker("the architus backend lists whole pools in today's names and shapes", async () => {
  await withArchitus(async ({ client, shard }) => {
    const c = await client(OWNER);
    const all = (seq: number, type: string) =>
      pool(c, { _event: "pool_all_request", _seq: seq, type, guild_id: GUILD_A });
    shaped(Member, (await all(1, "member")).data);
    shaped(Channel, (await all(2, "channel")).data);
    shaped(Role, (await all(3, "role")).data);
    const emoji = (await all(4, "customEmoji")).data;
    assert.equal(emoji.find((e) => e.name === "Orphan")?.authorId, null, '"None" becomes null');
    shaped(CustomEmoji, emoji.filter((e) => e.authorId !== null));
    const responses = (await all(5, "auto_response")).data;
    shaped(AutoResponse, responses);
    assert.equal(responses[0]!.trigger_punctuation, "!?");
    assert.equal(responses[0]!.guild_id, GUILD_A);
    const asked = shard.called("pool_all_request").map((call) => call.args[1]);
    assert.deepEqual(asked, ["member", "channel", "role", "customEmoji", "autoResponse"]);
    assert.ok(shard.called("pool_all_request").every((call) => call.args.length === 2));
    assert.deepEqual(shard.called("pool_all_request")[0]!.kwargs, {}, "no user_id kwarg");
  });
});

broker(
  "the architus backend finds channels by id in their whole pool and guilds on their own shards",
  async () => {
    await withArchitus(async ({ client, shard }) => {
      const c = await client(OWNER);
      const channels = await pool(c, {
        _event: "pool_request",
        _seq: 1,
        type: "channel",
        guild_id: GUILD_A,
        ids: ["555822989178961931", "999"],
      });
      assert.deepEqual(ids(channels.data), ["555822989178961931"]);
      assert.deepEqual(channels.nonexistent, ["999"]);
      assert.equal(shard.called("pool_request").length, 0, "the shard has no channel lookup by id");

      const guilds = await pool(c, {
        _event: "pool_request",
        _seq: 2,
        type: "guild",
        ids: [GUILD_A, GUILD_B, UNKNOWN_GUILD],
      });
      assert.deepEqual(ids(guilds.data).sort(), [GUILD_A, GUILD_B].sort());
      assert.deepEqual(guilds.nonexistent, [UNKNOWN_GUILD]);
      shaped(Guild, guilds.data);
      const a = guilds.data.find((g) => g.id === GUILD_A)!;
      assert.equal(a.owner_id, OWNER, "owner_id, a JSON number beyond 2^53, read exactly");
      assert.equal(a.owner, true);
      assert.equal(guilds.data.find((g) => g.id === GUILD_B)!.owner, false);
      const queues = new Set(shard.called("pool_request").map((call) => call.queue));
      assert.deepEqual([...queues].sort(), ["shard_rpc_0", "shard_rpc_1"]);
      const partial = await pool(c, {
        _event: "pool_request",
        _seq: 3,
        type: "partial_guild",
        ids: [GUILD_B],
      });
      shaped(PartialGuild, partial.data);
    });
  },
);

broker(
  "the guild list merges every shard's users_guilds with Discord's list by the token's access_token",
  async () => {
    await withArchitus(async ({ client, shard, discord }) => {
      const c = await client(OWNER);
      const partial = await pool(c, { _event: "pool_all_request", _seq: 1, type: "partial_guild" });
      assert.equal(partial.last.finished, true);
      assert.deepEqual(ids(partial.data).sort(), [GUILD_A, GUILD_B, GUILD_C].sort());
      shaped(PartialGuild, partial.data);
      const byId = new Map(partial.data.map((g) => [g.id, g]));
      assert.deepEqual(
        [byId.get(GUILD_A)!.has_architus, byId.get(GUILD_A)!.architus_admin],
        [true, true],
      );
      assert.deepEqual(byId.get(GUILD_C), {
        id: GUILD_C,
        name: "No Bot Here",
        icon: "c0ffee",
        has_architus: false,
        architus_admin: false,
        permissions: 32,
        member_count: 0,
      });
      assert.deepEqual(discord.authorizations, [`Bearer demo-access-${OWNER}`]);
      assert.deepEqual(shard.called("users_guilds").map((call) => call.queue).sort(), [
        "shard_rpc_0",
        "shard_rpc_1",
      ]);
      assert.equal(
        shard.called("pool_all_request").length,
        0,
        "never pool_all_request(None, 'guild')",
      );

      const full = await pool(c, { _event: "pool_all_request", _seq: 2, type: "guild" });
      shaped(Guild, full.data.filter((g) => g.has_architus === true));
      const owners = Object.fromEntries(full.data.map((g) => [g.id, g.owner]));
      assert.deepEqual(owners, { [GUILD_A]: true, [GUILD_B]: false, [GUILD_C]: false });

      // A token without Discord's access token: the shards' guilds only, Discord not asked.
      const standard = await client(OWNER, "standard");
      const only = await pool(standard, {
        _event: "pool_all_request",
        _seq: 3,
        type: "partial_guild",
      });
      assert.deepEqual(ids(only.data).sort(), [GUILD_A, GUILD_B].sort());
      assert.equal(discord.authorizations.length, 2);
    });
  },
);
