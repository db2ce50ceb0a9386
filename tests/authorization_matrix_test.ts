import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import {
  authorizationMarkdown,
  OPERATIONS,
  type TierName,
  TIERS,
} from "./_helpers/authorization_table.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import type { TestNode } from "./_helpers/node.ts";
import type { LogEvent } from "../gateway/protocol/mod.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const g = dataset().guild(DEMO)!;

const USER_OF: Record<TierName, string | null> = {
  anonymous: null,
  non_member: users.nonMember.id,
  member: users.member.id,
  discord_admin: users.discordAdmin.id,
  architus_admin: users.architusAdmin.id,
  architus_staff: users.staff.id,
};

type Frame = Record<string, unknown>;
const failed = (f: Frame) =>
  f._event === "error" || (f._event === "pool_response" && f.error !== undefined) ||
  (f._event === "elevation_return" && f.result === false);

/** Tries every operation as `tier`; returns what was allowed, by operation name. */
async function probe(node: TestNode, tier: TierName): Promise<Record<string, boolean>> {
  const userId = USER_OF[tier];
  const headers: Record<string, string> = userId === null
    ? {}
    : { cookie: `dev-token=${await tokenFor(userId)}` };
  const c = await WsClient.connect(wsUrl(node), headers);
  let seq = 1;
  const ok = async (frame: Frame) => !failed(await c.ask({ ...frame, _seq: seq++ }));
  try {
    const out: Record<string, boolean> = {};
    out["session, request_elevation"] = await ok({ _event: "session" }) &&
      await ok({ _event: "request_elevation", token: await tokenFor(userId ?? users.member.id) });
    if (userId === null) {
      // request_elevation elevated the anonymous probe; start over without it.
      await c.close();
      return {
        ...await probeAnonymousRest(node),
        "session, request_elevation": out["session, request_elevation"]!,
      };
    }
    const from = c.frames.length;
    c.send({ _event: "ping", action: 3001, guildId: 77, messageId: 0, content: "!help" });
    out["interpret (ping, mock_user_event, interpret)"] = (await c.next((f) =>
      f._event === "mock_bot_event" || f._event === "error", { from }))._event === "mock_bot_event";
    const botFrom = c.frames.length;
    c.send({ _event: "interpret", guild_id: DEMO, message_id: 2, content: "!help" });
    out["bot channel: interpret in the guild (development)"] = (await c.next((f) =>
      f._event === "mock_bot_event" || f._event === "error", { from: botFrom }))._event ===
      "mock_bot_event";
    const spectated = await c.ask({
      _event: "spectate",
      _seq: seq++,
      guild_id: DEMO,
      include_logs: true,
    });
    out["spectate the guild"] = spectated._event === "spectate_return";
    const categories = (spectated.categories ?? []) as string[];
    // Publish one public and one private event, and a pool update, then see what arrives.
    await node.logTraffic!.publish(0, DEMO);
    const events = await node.logTraffic!.publish(300, DEMO);
    await node.bus.publish(
      `guild.${DEMO}.pool`,
      JSON.stringify({
        type: "setting_value",
        action: "update",
        entity: { id: "prefix", guild_id: DEMO, value: "?" },
        id: "prefix",
      }),
    );
    await node.bus.publish(
      `guild.${DEMO}.pool`,
      JSON.stringify({ type: "channel", action: "remove", id: g.channels[0]!.id }),
    );
    await sleep(150);
    const got = c.received((f) =>
      f._event === "log_other"
    ).flatMap((f) =>
      f.events as LogEvent[]
    );
    out["receive pool updates (log_pool)"] = c.received((f) =>
      f._event === "log_pool" && f.type === "channel"
    ).length > 0;
    out["receive public log events"] = got.some((e) => !e.private);
    out["receive private log events"] = got.some((e) => e.private);
    assert.equal(
      got.some((e) => e.private),
      categories.includes("log.private"),
      "categories tell the truth",
    );
    assert.ok(events.some((e) => e.private) && events.some((e) => !e.private));
    const settingPush =
      c.received((f) => f._event === "log_pool" && f.type === "setting_value").length > 0;
    const guildPools = await Promise.all(
      ["member", "channel", "role", "customEmoji", "auto_response"].map((type) =>
        ok({ _event: "pool_all_request", type, guild_id: DEMO })
      ),
    );
    assert.ok(guildPools.every((x) => x === guildPools[0]), "guild pools agree");
    out["pool member / channel / role / customEmoji / auto_response"] = guildPools[0]!;
    out["pool_search member"] = await ok({
      _event: "pool_search",
      type: "member",
      guild_id: DEMO,
      query: "a",
    });
    const settings = await ok({
      _event: "pool_all_request",
      type: "setting_value",
      guild_id: DEMO,
    });
    out["pool setting_value (and its updates)"] = settings;
    if (out["spectate the guild"]) {
      assert.equal(settingPush, settings, "setting pushes follow the pool's rule");
    }
    out["pool user / partial_user by ids"] =
      await ok({ _event: "pool_request", type: "user", ids: [users.member.id] }) &&
      await ok({ _event: "pool_request", type: "partial_user", ids: [users.member.id] });
    out["pool guild / partial_guild (own guilds)"] =
      await ok({ _event: "pool_all_request", type: "guild" }) &&
      await ok({ _event: "pool_all_request", type: "partial_guild" });
    const history = await c.ask({
      _event: "logs_request",
      _seq: seq++,
      guild_id: DEMO,
      limit: 500,
    });
    out["logs_request (history)"] = history._event === "logs_response";
    out["private events in history"] = ((history.events ?? []) as LogEvent[]).some((e) =>
      e.private
    );
    return out;
  } finally {
    await c.close();
  }
}

/** Every operation but the first, as a connection that never elevates. */
async function probeAnonymousRest(node: TestNode): Promise<Record<string, boolean>> {
  const c = await WsClient.connect(wsUrl(node));
  let seq = 1;
  const ok = async (frame: Frame) => !failed(await c.ask({ ...frame, _seq: seq++ }));
  try {
    const out: Record<string, boolean> = {};
    const from = c.frames.length;
    c.send({ _event: "ping", action: 3001, guildId: 78, messageId: 0, content: "!help" });
    out["interpret (ping, mock_user_event, interpret)"] = (await c.next((f) =>
      f._event === "mock_bot_event" || f._event === "error", { from }))._event === "mock_bot_event";
    const botFrom = c.frames.length;
    c.send({ _event: "interpret", guild_id: DEMO, message_id: 2, content: "!help" });
    out["bot channel: interpret in the guild (development)"] = (await c.next((f) =>
      f._event === "mock_bot_event" || f._event === "error", { from: botFrom }))._event ===
      "mock_bot_event";
    out["spectate the guild"] = await ok({
      _event: "spectate",
      guild_id: DEMO,
      include_logs: true,
    });
    await node.logTraffic!.publish(100, DEMO);
    await sleep(100);
    out["receive pool updates (log_pool)"] = c.received((f) =>
      f._event === "log_pool"
    ).length > 0;
    out["receive public log events"] = c.received((f) =>
      f._event === "log_other"
    ).length > 0;
    out["receive private log events"] = out["receive public log events"];
    out["pool member / channel / role / customEmoji / auto_response"] = await ok({
      _event: "pool_all_request",
      type: "channel",
      guild_id: DEMO,
    });
    out["pool_search member"] = await ok({
      _event: "pool_search",
      type: "member",
      guild_id: DEMO,
      query: "a",
    });
    out["pool setting_value (and its updates)"] = await ok({
      _event: "pool_all_request",
      type: "setting_value",
      guild_id: DEMO,
    });
    out["pool user / partial_user by ids"] = await ok({
      _event: "pool_request",
      type: "user",
      ids: [users.member.id],
    });
    out["pool guild / partial_guild (own guilds)"] = await ok({
      _event: "pool_all_request",
      type: "partial_guild",
    });
    out["logs_request (history)"] = await ok({ _event: "logs_request", guild_id: DEMO });
    out["private events in history"] = out["logs_request (history)"];
    return out;
  } finally {
    await c.close();
  }
}

Deno.test("authorisation matrix: every operation against every tier matches the table", async () => {
  await withNode({}, async (node) => {
    for (const tier of TIERS) {
      const got = await probe(node, tier);
      for (const op of OPERATIONS) {
        assert.equal(got[op.name], op.allowed.includes(tier), `${tier}: ${op.name}`);
      }
    }
    await waitFor(() => node.gateway.connections.size === 0);
  });
});

Deno.test("the README shows the authorisation table the matrix test checks", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  // Compare cell by cell: the formatter may pad the columns.
  const cells = (line: string) =>
    line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim().replace(/^:?-+:?$/, "-"));
  const table = authorizationMarkdown().split("\n").map(cells);
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| operation "));
  assert.ok(start >= 0, "the README has the authorisation table");
  const shown = lines.slice(start, start + table.length).map(cells);
  assert.deepEqual(shown, table, "update the README's authorisation table");
});
