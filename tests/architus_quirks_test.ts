/**
 * `BACKEND_PROTOCOL=architus` against the shards' documented quirks: the
 * gateway authorises what the shard does not, answers what the shard lacks
 * with a documented answer, and ends every request with a clean terminal
 * frame, never a hang: a shard that never answers, a crash, Discord down.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  GUILD_A,
  GUILD_B,
  MEMBER,
  OWNER,
  STRANGER,
  SUPER_ADMIN,
  UNKNOWN_GUILD,
} from "../testing/architus_shard_data.ts";
import { DEADLINE_MS, errorOf, pool, withArchitus } from "./_helpers/architus.ts";

const broker = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

/** Runs `request` and says how long it took to end. */
async function timed<T>(request: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const out = await request();
  return [out, Date.now() - started];
}

broker("the architus backend decides membership and access with is_member", async () => {
  await withArchitus(async ({ client, shard }) => {
    const tiers: Record<string, unknown> = {};
    for (const [who, guild] of [[MEMBER, GUILD_A], [OWNER, GUILD_A], [OWNER, GUILD_B]] as const) {
      const c = await client(who);
      const r = await c.ask({ _event: "spectate", _seq: 1, guild_id: guild });
      tiers[`${who}@${guild}`] = r.tier;
    }
    assert.deepEqual(tiers, {
      [`${MEMBER}@${GUILD_A}`]: "member",
      [`${OWNER}@${GUILD_A}`]: "architus_admin",
      [`${OWNER}@${GUILD_B}`]: "discord_admin",
    });
    assert.deepEqual(shard.called("is_member")[0]!.args, [BigInt(MEMBER), GUILD_A]);
    // The shard's pool_all_request checks nobody: the gateway does, before asking it.
    const stranger = await client(STRANGER);
    assert.equal(
      errorOf(await stranger.ask({ _event: "spectate", _seq: 2, guild_id: GUILD_A })),
      "not_a_member",
    );
    const before = shard.called("pool_all_request").length;
    const refused = await pool(stranger, {
      _event: "pool_all_request",
      _seq: 3,
      type: "member",
      guild_id: GUILD_A,
    });
    assert.equal(refused.last.finished, true);
    assert.equal(errorOf(refused.last), "not_a_member");
    assert.equal(shard.called("pool_all_request").length, before, "the shard was never asked");
    // Staff pass the check; the shard's own "Unknown Guild" 404 then ends the request.
    const staff = await client(SUPER_ADMIN);
    const unknown = await pool(staff, {
      _event: "pool_all_request",
      _seq: 4,
      type: "channel",
      guild_id: UNKNOWN_GUILD,
    });
    assert.equal(errorOf(unknown.last), "not_found");
  });
});

broker(
  "the architus backend answers what the shards lack at once: search over members, not_available otherwise",
  async () => {
    await withArchitus(async ({ client, shard }) => {
      const c = await client(OWNER);
      const search = await pool(c, {
        _event: "pool_search",
        _seq: 1,
        type: "member",
        guild_id: GUILD_A,
        query: "LA",
      });
      assert.deepEqual(search.data.map((m) => m.nick), ["late"]);
      const byName = await pool(c, {
        _event: "pool_search",
        _seq: 2,
        type: "member",
        guild_id: GUILD_A,
        query: "o",
        limit: 5,
      });
      assert.deepEqual(byName.data.map((m) => m.name), ["Owen"]);
      const unavailable = [
        { _event: "pool_all_request", _seq: 3, type: "setting_value", guild_id: GUILD_A },
        { _event: "pool_all_request", _seq: 4, type: "settingValue", guild_id: GUILD_A },
        {
          _event: "pool_request",
          _seq: 5,
          type: "setting_value",
          guild_id: GUILD_A,
          ids: ["prefix"],
        },
        { _event: "pool_all_request", _seq: 6, type: "member", guild_id: GUILD_A, online: true },
        { _event: "logs_request", _seq: 7, guild_id: GUILD_A },
      ];
      for (const frame of unavailable) {
        const [answers, took] = await timed(() => c.request(frame));
        const last = answers[answers.length - 1]!;
        assert.equal(errorOf(last), "not_available", JSON.stringify(frame));
        assert.ok(
          took < DEADLINE_MS / 2,
          `${frame._event} ${frame.type ?? ""} ended in ${took} ms`,
        );
        if (frame._event !== "logs_request") assert.equal(last.finished, true);
      }
      const asked = shard.calls.map((call) => call.args[1]);
      assert.ok(!asked.includes("settingValue"), "never sent: it crashes the shard's RPC server");
      assert.ok(!shard.calls.some((call) => ["pool_search", "logs_history"].includes(call.method)));
      // Resuming live logs needs history: the spectate still succeeds, without recovery.
      const resumed = await c.ask({
        _event: "spectate",
        _seq: 8,
        guild_id: GUILD_A,
        include_logs: true,
        since: "1",
      });
      assert.equal(resumed.recovered, false);
    });
  },
);

broker(
  "the architus backend runs the front page mock through handle_mock_user_action",
  async () => {
    await withArchitus(async ({ anonymous, shard }) => {
      const c = await anonymous();
      const base = { guildId: 4242, messageId: 0, allowedCommands: ["set", "remove"] };
      const help = await c.ask({
        _event: "ping",
        _seq: 1,
        action: 3001,
        content: "!help",
        ...base,
      });
      assert.equal(help._event, "mock_bot_event");
      assert.equal(help.guildId, 4242);
      assert.deepEqual((help.actions as Array<{ action: number }>).map((a) => a.action), [3001]);
      // The shard answers a silent send with messageId null, which clients drop whole: left out.
      const silent = await c.ask({
        _event: "mock_user_event",
        _seq: 2,
        action: 3001,
        content: "!set a::b",
        silent: true,
        ...base,
      });
      assert.deepEqual(silent.actions, []);
      const react = await c.ask({ _event: "ping", _seq: 3, action: 3100, emoji: "✅", ...base });
      assert.deepEqual(react.actions, [{ action: 3002, messageId: 0, content: "edited" }]);
      // Action 72 raises in the shard: an error frame, not a mock_bot_event carrying its body.
      const crashed = await c.ask({ _event: "ping", _seq: 4, action: 72, ...base });
      assert.equal(errorOf(crashed), "backend_error");
      const sent = shard.called("handle_mock_user_action")[0]!;
      assert.deepEqual(sent.args, []);
      assert.deepEqual(Object.keys(sent.kwargs).sort(), [
        "action",
        "allowedCommands",
        "content",
        "guildId",
        "messageId",
      ]);
    });
  },
);

broker(
  "every quirk ends in a clean terminal frame: a silent shard times out, Discord failures end the guild list",
  async () => {
    // Only shard 0 answers: shard 1's queue swallows every call, as a crashed RPC server does.
    await withArchitus(async ({ client, discord }) => {
      const c = await client(OWNER);
      const ends = async (frame: Record<string, unknown>, error: string) => {
        const [answer, took] = await timed(() => pool(c, frame));
        assert.equal(answer.last.finished, true, JSON.stringify(answer.last));
        assert.equal(errorOf(answer.last), error, JSON.stringify(frame));
        return took;
      };
      const took = await ends(
        { _event: "pool_all_request", _seq: 1, type: "partial_guild" },
        "backend_timeout",
      );
      assert.ok(
        took >= DEADLINE_MS - 50 && took < DEADLINE_MS + 1000,
        `guild list ended after ${took} ms`,
      );
      await ends(
        { _event: "pool_request", _seq: 2, type: "guild", ids: [GUILD_A, GUILD_B] },
        "backend_timeout",
      );
      await ends(
        { _event: "pool_all_request", _seq: 3, type: "member", guild_id: GUILD_B },
        "backend_timeout",
      );
      // Shard 0 alone still serves its guild.
      const a = await pool(c, {
        _event: "pool_all_request",
        _seq: 4,
        type: "channel",
        guild_id: GUILD_A,
      });
      assert.equal(a.last.error, undefined);
      assert.equal(a.data.length, 2);
      discord.failWith = 500;
      const [byId] = await timed(() =>
        pool(c, { _event: "pool_request", _seq: 5, type: "guild", ids: [GUILD_A] })
      );
      assert.equal(byId.data.length, 1, "by id the guild list does not need Discord");
    }, { only: [0] });
    await withArchitus(async ({ client, discord }) => {
      discord.failWith = 500;
      const owner = await client(OWNER);
      const down = await pool(owner, {
        _event: "pool_all_request",
        _seq: 1,
        type: "partial_guild",
      });
      assert.equal(errorOf(down.last), "backend_unavailable");
      discord.failWith = undefined;
      // Discord refuses a token it does not know (expired or revoked): an error, still terminal.
      const stranger = await client(STRANGER);
      const refused = await pool(stranger, {
        _event: "pool_all_request",
        _seq: 2,
        type: "partial_guild",
      });
      assert.equal(refused.last.finished, true);
      assert.equal(errorOf(refused.last), "backend_error");
      assert.deepEqual((refused.last.error as { details?: unknown }).details, { status: 401 });
    });
  },
);
