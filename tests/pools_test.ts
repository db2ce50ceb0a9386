import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { MemoryBus } from "../gateway/bus/mod.ts";
import { DEMO_GUILD_IDS, DemoBackend } from "../demo/mod.ts";
import { AnyServerFrame, Member } from "../gateway/protocol/mod.ts";
import { MAX_CHUNK_BYTES, MAX_CHUNK_ENTITIES } from "../gateway/pools/mod.ts";
import { answerRpc, backendMethods } from "../gateway/backend/backend_server.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";

const users = dataset().demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const BIG = DEMO_GUILD_IDS.bigGuild;

async function connectAs(node: Parameters<typeof wsUrl>[0], userId: string): Promise<WsClient> {
  return await WsClient.connect(wsUrl(node), { cookie: `dev-token=${await tokenFor(userId)}` });
}

function assertValid(frames: Array<Record<string, unknown>>): void {
  for (const f of frames) {
    const r = AnyServerFrame.safeParse(f);
    assert.ok(r.success, `frame fits the protocol: ${JSON.stringify(f).slice(0, 200)}`);
  }
}

Deno.test("every pool type answers all, by ids and (members) search", async () => {
  await withNode({}, async (node, clients) => {
    const c = await connectAs(node, users.architusAdmin.id);
    clients.push(c);
    const g = dataset().guild(DEMO)!;
    const firsts: Record<string, string> = {
      member: g.members[0]!.id,
      channel: g.channels[0]!.id,
      role: g.roles[1]!.id,
      customEmoji: g.emojis[0]!.id,
      auto_response: g.autoResponses[0]!.id,
      setting_value: g.settings[0]!.id,
    };
    let seq = 1;
    for (const [type, id] of Object.entries(firsts)) {
      const all = await c.request({
        _event: "pool_all_request",
        _seq: seq++,
        type,
        guild_id: DEMO,
      });
      assertValid(all);
      const last = all[all.length - 1]!;
      assert.equal(last.finished, true, type);
      assert.equal(last.error, undefined, `${type}: ${JSON.stringify(last.error)}`);
      const count = all.reduce((n, f) => n + (f.data as unknown[]).length, 0);
      assert.ok(count > 0, `${type} has entities`);
      const byId = await c.ask({
        _event: "pool_request",
        _seq: seq++,
        type,
        guild_id: DEMO,
        ids: [id, "999"],
      });
      assert.deepEqual((byId.data as Array<{ id: string }>).map((e) => e.id), [id], type);
      assert.deepEqual(byId.nonexistent, ["999"], type);
    }
    for (const type of ["user", "partial_user"]) {
      const r = await c.ask({
        _event: "pool_request",
        _seq: seq++,
        type,
        ids: [users.member.id, "5"],
      });
      assert.deepEqual((r.data as Array<{ id: string }>).map((e) => e.id), [users.member.id]);
      assert.deepEqual(r.nonexistent, ["5"]);
    }
    for (const type of ["guild", "partial_guild"]) {
      const all = await c.ask({ _event: "pool_all_request", _seq: seq++, type });
      // With Architus, then the user's Discord guilds without it.
      assert.deepEqual((all.data as Array<{ name: string }>).map((g) => g.name).sort(), [
        "Architus Demo",
        "Pixel Art Club",
        "Study Hall",
        "Synth Builders",
      ]);
      const byId = await c.ask({ _event: "pool_request", _seq: seq++, type, ids: [DEMO, BIG] });
      assert.deepEqual((byId.data as Array<{ id: string }>).map((e) => e.id), [DEMO]);
      assert.deepEqual(byId.nonexistent, [BIG], "not the user's guild");
    }
    const search = await c.ask({
      _event: "pool_search",
      _seq: seq++,
      type: "member",
      guild_id: DEMO,
      query: "demo_",
      limit: 10,
    });
    const names = (search.data as Array<{ name: string }>).map((m) => m.name);
    assert.ok(names.includes("demo_owner") && names.includes("demo_member"), names.join(","));
    const userAll = await c.ask({ _event: "pool_all_request", _seq: seq++, type: "user" });
    assert.equal((userAll.error as { error: string }).error, "invalid_payload");
  });
});

Deno.test("online members only, when asked", async () => {
  await withNode({}, async (node, clients) => {
    const c = await connectAs(node, users.member.id);
    clients.push(c);
    const online = await c.request({
      _event: "pool_all_request",
      _seq: 1,
      type: "member",
      guild_id: DEMO,
      online: true,
    });
    const members = online.flatMap((f) => f.data as Array<{ status: string }>);
    assert.ok(members.length > 0 && members.length < dataset().guild(DEMO)!.members.length);
    assert.ok(members.every((m) => m.status !== "offline"));
  });
});

Deno.test("the 10,000-member pool streams complete, in order, in bounded frames", async () => {
  await withNode({}, async (node, clients) => {
    const c = await connectAs(node, users.member.id);
    clients.push(c);
    const frames = await c.request({
      _event: "pool_all_request",
      _seq: 7,
      type: "member",
      guild_id: BIG,
    }, 15000);
    assert.ok(frames.length >= 10, `${frames.length} frames`);
    frames.forEach((f, i) => {
      assert.equal(f.seq, 7);
      assert.equal(f.finished, i === frames.length - 1, "only the last is finished");
      assert.ok((f.data as unknown[]).length <= MAX_CHUNK_ENTITIES);
      assert.ok(JSON.stringify(f).length <= MAX_CHUNK_BYTES + 1024);
    });
    const ids = frames.flatMap((f) => (f.data as Array<{ id: string }>).map((m) => m.id));
    const expected = dataset({ bigGuild: true }).guild(BIG)!.members.map((m) => m.id);
    assert.equal(ids.length, 10_000);
    assert.deepEqual(ids, expected, "complete and in order");
    const sample = frames[3]!.data as unknown[];
    assert.ok(Member.safeParse(sample[0]).success);
  }, { bigGuild: true });
});

Deno.test("interleaved requests on one connection each assemble correctly", async () => {
  await withNode({}, async (node, clients) => {
    const c = await connectAs(node, users.member.id);
    clients.push(c);
    const [big, channels, search] = await Promise.all([
      c.request({ _event: "pool_all_request", _seq: 11, type: "member", guild_id: BIG }, 15000),
      c.request({ _event: "pool_all_request", _seq: 13, type: "channel", guild_id: DEMO }),
      c.request({
        _event: "pool_search",
        _seq: 15,
        type: "member",
        guild_id: BIG,
        query: "a",
        limit: 100,
      }),
    ]);
    assert.equal(big.flatMap((f) => f.data as unknown[]).length, 10_000);
    assert.equal(
      channels.flatMap((f) => f.data as unknown[]).length,
      dataset().guild(DEMO)!.channels.length,
    );
    assert.ok(search.flatMap((f) => f.data as unknown[]).length <= 100);
    for (const seq of [11, 13, 15]) {
      assert.equal(
        c.received((f) => f.seq === seq && f.finished === true).length,
        1,
        "one terminal each",
      );
    }
  }, { bigGuild: true });
});

Deno.test("guild pools are refused to non-members and settings to members without VIEW_SETTINGS", async () => {
  await withNode({}, async (node, clients) => {
    const outsider = await connectAs(node, users.nonMember.id);
    const member = await connectAs(node, users.member.id);
    const mod = await connectAs(node, users.discordAdmin.id);
    const staff = await connectAs(node, users.staff.id);
    clients.push(outsider, member, mod, staff);
    const refused = await outsider.ask({
      _event: "pool_request",
      _seq: 1,
      type: "member",
      guild_id: DEMO,
      ids: ["1", "2"],
    });
    assert.equal(refused.finished, true);
    assert.deepEqual(refused.data, []);
    assert.equal((refused.error as { error: string; code: number }).error, "not_a_member");
    assert.equal((refused.error as { code: number }).code, 403);
    const settings = await member.ask({
      _event: "pool_all_request",
      _seq: 1,
      type: "setting_value",
      guild_id: DEMO,
    });
    assert.equal((settings.error as { error: string }).error, "forbidden");
    const modSettings = await mod.ask({
      _event: "pool_all_request",
      _seq: 1,
      type: "setting_value",
      guild_id: DEMO,
    });
    assert.equal(modSettings.error, undefined);
    const staffMembers = await staff.ask({
      _event: "pool_all_request",
      _seq: 1,
      type: "channel",
      guild_id: DEMO,
    });
    assert.equal(staffMembers.error, undefined, "staff read any guild");
    const missingGuild = await member.ask({ _event: "pool_all_request", _seq: 2, type: "channel" });
    assert.equal((missingGuild.error as { error: string }).error, "invalid_payload");
    const noSeq = Promise.race([
      member.next((f) => f._event === "error" && f.error === "invalid_payload", {
        from: member.frames.length,
      }),
      sleep(2000),
    ]);
    member.send({ _event: "pool_all_request", type: "channel", guild_id: DEMO });
    assert.ok(await noSeq, "a pool request without _seq gets an error frame");
  });
});

Deno.test("a slow backend ends the request with a timeout error; a gone client cancels its calls", async () => {
  const bus = new MemoryBus();
  await bus.start();
  // The demo backend behind a shard that answers membership at once and pools never in time.
  const table = backendMethods(new DemoBackend(dataset()));
  let slowCalls = 0;
  const subs = await Promise.all(
    [0, 1, 2, 3].map((n) =>
      bus.serve(`shard_rpc_${n}`, async (body) => {
        const method = (JSON.parse(body) as { method: string }).method;
        if (method !== "is_member" && method !== "ping") {
          slowCalls++;
          await sleep(1500);
        }
        return await answerRpc(table, body);
      })
    ),
  );
  try {
    await withNode({ BACKEND_TIMEOUT_MS: "300" }, async (node, clients) => {
      const c = await connectAs(node, users.member.id);
      clients.push(c);
      const started = Date.now();
      const r = await c.ask({
        _event: "pool_all_request",
        _seq: 1,
        type: "channel",
        guild_id: DEMO,
      });
      const took = Date.now() - started;
      const error = r.error as { error: string; human: string; code: number };
      assert.equal(error.error, "backend_timeout");
      assert.equal(error.code, 504);
      assert.match(error.human, /0\.3 s/, "the human text names the deadline");
      assert.ok(took < 1200, `ended near the deadline (${took} ms)`);
      assert.equal(r.finished, true);
      // A client that leaves mid-request releases it.
      const gone = await connectAs(node, users.member.id);
      gone.send({ _event: "pool_all_request", _seq: 2, type: "role", guild_id: DEMO });
      await waitFor(() => slowCalls >= 2);
      await gone.close();
      await waitFor(() => node.gateway.counters.requestsCancelled >= 1, {
        message: "request cancelled",
      });
      assert.equal(node.gateway.connections.size, 1);
    }, { bus, embeddedBackend: false });
  } finally {
    await Promise.all(subs.map((s) => s.unsubscribe()));
    await sleep(1600);
  }
});

Deno.test("log_pool reaches spectators who may see it, and only them", async () => {
  await withNode({}, async (node, clients) => {
    const member = await connectAs(node, users.member.id);
    const mod = await connectAs(node, users.discordAdmin.id);
    const elsewhere = await connectAs(node, users.nonMember.id);
    clients.push(member, mod, elsewhere);
    await member.ask({ _event: "spectate", _seq: 1, guild_id: DEMO });
    await mod.ask({ _event: "spectate", _seq: 1, guild_id: DEMO });
    await elsewhere.ask({ _event: "spectate", _seq: 1, guild_id: DEMO_GUILD_IDS.gamingLounge });
    // The demo traffic adds a member and an auto response in every guild.
    await node.poolTraffic!.step();
    await node.poolTraffic!.step();
    const added = await member.next((f) => f._event === "log_pool" && f.type === "member");
    assert.equal(added.guild_id, DEMO);
    assert.equal(added.action, "add");
    assert.equal((added.entity as { id: string }).id, added.id);
    assert.ok(Member.safeParse(added.entity).success);
    await member.next((f) => f._event === "log_pool" && f.type === "auto_response");
    // The new member is now in the pool: a by-id request finds it.
    const byId = await member.ask({
      _event: "pool_request",
      _seq: 2,
      type: "member",
      guild_id: DEMO,
      ids: [added.id as string],
    });
    assert.equal((byId.data as unknown[]).length, 1);
    // A settings change reaches the moderator (VIEW_SETTINGS) and not the plain member.
    await node.bus.publish(
      `guild.${DEMO}.pool`,
      JSON.stringify({
        type: "settingValue",
        action: "update",
        entity: { id: "prefix", guild_id: DEMO, value: "?" },
        id: "prefix",
      }),
    );
    const setting = await mod.next((f) => f._event === "log_pool" && f.type === "setting_value");
    assert.equal((setting.entity as { value: string }).value, "?");
    await sleep(100);
    assert.equal(member.received((f) => f.type === "setting_value").length, 0);
    assert.ok(elsewhere.received((f) => f._event === "log_pool").every((f) => f.guild_id !== DEMO));
    assertValid(member.frames);
    // Malformed updates from the bus are dropped, never relayed.
    await node.bus.publish(`guild.${DEMO}.pool`, "{not json");
    await node.bus.publish(
      `guild.${DEMO}.pool`,
      JSON.stringify({ type: "member", action: "explode", id: "1" }),
    );
    await sleep(50);
    assert.equal(member.received((f) => f.action === "explode").length, 0);
  });
});
