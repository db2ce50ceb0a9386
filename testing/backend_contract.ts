import assert from "node:assert/strict";
import { type Backend, BackendError } from "../gateway/backend/backend.ts";
import { createDemoDataset, DEMO_GUILD_IDS } from "../demo/mod.ts";

/** A backend under test and how to release it. */
export interface BackendUnderTest {
  readonly backend: Backend;
  close(): Promise<void>;
}

const data = createDemoDataset({ bigGuildMembers: 300 });
const u = data.demoUsers;
const DEMO = DEMO_GUILD_IDS.architusDemo;

/**
 * The contract every `Backend` passes: the demo backend called directly,
 * and the same backend reached through the shard RPC over each bus. `make`
 * must serve the dataset of `createDemoDataset({ bigGuildMembers: 300 })`.
 */
export function runBackendContract(name: string, make: () => Promise<BackendUnderTest>): void {
  const test = (title: string, fn: (b: Backend) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async () => {
      const under = await make();
      try {
        await fn(under.backend);
      } finally {
        await under.close();
      }
    });

  test("answers ping", async (b) => {
    await b.ping();
  });

  test("is_member tells members, admins and outsiders apart", async (b) => {
    const owner = await b.isMember(u.architusAdmin.id, DEMO);
    assert.equal(owner.member, true);
    assert.equal(owner.admin, true);
    const mod = await b.isMember(u.discordAdmin.id, DEMO);
    assert.equal(mod.member && !mod.admin, true);
    assert.ok((mod.permissions & 0x20) !== 0);
    const member = await b.isMember(u.member.id, DEMO);
    assert.equal(member.architus_permissions, 0x12);
    const outsider = await b.isMember(u.nonMember.id, DEMO);
    assert.equal(outsider.member, false);
    const unknownGuild = await b.isMember(u.member.id, "1");
    assert.equal(unknownGuild.member, false);
  });

  test("users_guilds lists exactly the user's guilds", async (b) => {
    const guilds = await b.usersGuilds(u.member.id);
    const names = guilds.map((g) => g.name).sort();
    assert.deepEqual(names, ["Architus Demo", "Big Guild", "Study Hall"]);
    const demo = guilds.find((g) => g.id === DEMO)!;
    assert.equal(demo.architus_admin, false);
    assert.equal(demo.has_architus, true);
    assert.equal((await b.usersGuilds(u.staff.id)).length, 0);
  });

  test("pool_request returns found entities and lists the rest as nonexistent", async (b) => {
    const someone = data.guild(DEMO)!.members[5]!;
    const r = await b.poolRequest({
      userId: u.member.id,
      guildId: DEMO,
      type: "member",
      ids: [someone.id, "123"],
    });
    assert.deepEqual((r.data as Array<{ id: string }>).map((m) => m.id), [someone.id]);
    assert.deepEqual(r.nonexistent, ["123"]);
    const users = await b.poolRequest({
      userId: u.member.id,
      guildId: null,
      type: "partial_user",
      ids: [someone.id],
    });
    assert.equal(typeof (users.data[0] as { discriminator: unknown }).discriminator, "number");
  });

  test("pool_all_request returns whole pools, online members on request", async (b) => {
    const all = await b.poolAll({ userId: u.member.id, guildId: DEMO, type: "member" });
    assert.equal(all.length, data.guild(DEMO)!.members.length);
    const online = await b.poolAll({
      userId: u.member.id,
      guildId: DEMO,
      type: "member",
      online: true,
    });
    assert.ok(online.length > 0 && online.length < all.length);
    assert.ok((online as Array<{ status: string }>).every((m) => m.status !== "offline"));
    const partial = await b.poolAll({ userId: u.member.id, guildId: null, type: "partial_guild" });
    // The three guilds with Architus, then the user's Discord guilds without it.
    const list = partial as Array<{ name: string; has_architus: boolean }>;
    assert.deepEqual(list.map((g) => g.has_architus), [true, true, true, false, false, false]);
    const full = await b.poolAll({ userId: u.member.id, guildId: null, type: "guild" });
    assert.deepEqual(
      (full as Array<{ name: string }>).map((g) => g.name),
      list.map((g) => g.name),
    );
  });

  test("pool_search matches name or nick prefixes case-insensitively, within the limit", async (b) => {
    const someone = data.guild(DEMO)!.members.find((m) => m.name.length > 3)!;
    const query = someone.name.slice(0, 3).toUpperCase();
    const found = await b.poolSearch({ guildId: DEMO, query, limit: 5 }) as Array<
      { name: string; nick?: string | null }
    >;
    assert.ok(found.length > 0 && found.length <= 5);
    for (const m of found) {
      const q = query.toLowerCase();
      assert.ok(m.name.toLowerCase().startsWith(q) || (m.nick ?? "").toLowerCase().startsWith(q));
    }
  });

  test("unknown guilds and bad requests are typed errors", async (b) => {
    await assert.rejects(
      b.poolAll({ userId: u.member.id, guildId: "1", type: "channel" }),
      (e) => e instanceof BackendError && e.kind === "not_found",
    );
    await assert.rejects(
      b.poolAll({ userId: u.member.id, guildId: null, type: "user" }),
      (e) => e instanceof BackendError && e.kind === "bad_request",
    );
    await assert.rejects(
      b.mockUserAction({ action: 3001, guildId: 1, messageId: 1, content: "odd id" }),
      (e) => e instanceof BackendError && e.kind === "bad_request",
    );
    // A real guild's id is the bot channel, closed unless the backend opens it.
    await assert.rejects(
      b.mockUserAction({
        action: 3001,
        guildId: DEMO,
        userId: u.member.id,
        messageId: 2,
        content: "!set a::b",
      }),
      (e) => e instanceof BackendError && e.kind === "unsupported",
    );
  });

  test("handle_mock_user_action answers the front page mock", async (b) => {
    const r = await b.mockUserAction({
      action: 3001,
      guildId: 42,
      messageId: 0,
      content: "!help",
      allowedCommands: ["set"],
    });
    assert.equal(r.guildId, 42);
    assert.equal(r.actions[0]?.action, 3001);
  });
}
