/**
 * Spectating: switching guilds, who may spectate, and the categories each tier receives.
 *
 * @module
 */
import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { sleep } from "../testing/wait_for.ts";

const users = dataset().demoUsers;
const DEMO_GUILD = dataset().guilds.find((g) => g.name === "Architus Demo")!.id;
const LOUNGE = dataset().guilds.find((g) => g.name === "Gaming Lounge")!.id;

Deno.test("spectate switches guilds, leaving the previous one and its bindings", async () => {
  await withNode({}, async (node, clients) => {
    const c = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.architusAdmin.id)}`,
    });
    clients.push(c);
    const study = dataset().guilds.find((g) => g.name === "Study Hall")!.id;
    const first = await c.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(first.tier, "architus_admin");
    assert.deepEqual(first.categories, ["pool", "log.public", "log.private"]);
    assert.equal(first.logs, "granted");
    assert.deepEqual([...node.gateway.streams.rooms.bindings.held.keys()].sort(), [
      `guild.${DEMO_GUILD}.access`,
      `guild.${DEMO_GUILD}.log.private`,
      `guild.${DEMO_GUILD}.log.public`,
      `guild.${DEMO_GUILD}.pool`,
    ]);
    const second = await c.ask({ _event: "spectate", _seq: 2, guild_id: study });
    assert.equal(second.tier, "member");
    assert.deepEqual(second.categories, ["pool"]);
    assert.equal(second.logs, "not_requested");
    assert.deepEqual([...node.gateway.streams.rooms.bindings.held.keys()].sort(), [
      `guild.${study}.access`,
      `guild.${study}.pool`,
    ]);
    // An update in the old guild no longer arrives; one in the new guild does.
    await node.bus.publish(
      `guild.${DEMO_GUILD}.pool`,
      JSON.stringify({ type: "channel", action: "remove", id: "1" }),
    );
    await node.bus.publish(
      `guild.${study}.pool`,
      JSON.stringify({ type: "channel", action: "remove", id: "2" }),
    );
    const push = await c.next((f) => f._event === "log_pool");
    assert.equal(push.guild_id, study);
    await sleep(50);
    assert.equal(c.received((f) => f._event === "log_pool").length, 1);
    const none = await c.ask({ _event: "spectate", _seq: 3, guild_id: null });
    assert.equal(none.guild_id, null);
    assert.equal(node.gateway.streams.rooms.bindings.held.size, 0);
  });
});

Deno.test("spectate is refused to a non-member and to anonymous, allowed to staff anywhere", async () => {
  await withNode({}, async (node, clients) => {
    const outsider = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.nonMember.id)}`,
    });
    const staff = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.staff.id)}`,
    });
    const anon = await WsClient.connect(wsUrl(node));
    clients.push(outsider, staff, anon);
    const refused = await outsider.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(refused._event, "error");
    assert.equal(refused.error, "not_a_member");
    assert.equal(refused.code, 403);
    const lounge = await outsider.ask({ _event: "spectate", _seq: 2, guild_id: LOUNGE });
    assert.equal(lounge._event, "spectate_return");
    const staffOk = await staff.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(staffOk.tier, "architus_staff");
    assert.deepEqual(staffOk.categories, ["pool", "log.public", "log.private"]);
    const anonRefused = await anon.ask({ _event: "spectate", _seq: 1, guild_id: DEMO_GUILD });
    assert.equal(anonRefused.error, "not_authenticated");
    const anonLeave = await anon.ask({ _event: "spectate", _seq: 2, guild_id: null });
    assert.equal(anonLeave._event, "spectate_return", "leaving needs no identity");
  });
});

Deno.test("log categories follow permissions: member public only, discord admin public only", async () => {
  await withNode({}, async (node, clients) => {
    const member = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.member.id)}`,
    });
    const mod = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(users.discordAdmin.id)}`,
    });
    clients.push(member, mod);
    const m = await member.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(m.tier, "member");
    assert.deepEqual(m.categories, ["pool", "log.public"]);
    const d = await mod.ask({
      _event: "spectate",
      _seq: 1,
      guild_id: DEMO_GUILD,
      include_logs: true,
    });
    assert.equal(d.tier, "discord_admin");
    assert.deepEqual(d.categories, ["pool", "log.public"]);
  });
});
