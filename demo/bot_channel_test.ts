import assert from "node:assert/strict";
import { decodePoolUpdate, guildTopic, MemoryBus, type PoolUpdate } from "../gateway/bus/mod.ts";
import { BackendError } from "../gateway/backend/backend.ts";
import { ArchitusPermission, MockAction } from "../gateway/protocol/mod.ts";
import { BotChannel, MAX_GUILD_AUTO_RESPONSES } from "./bot_channel.ts";
import { createDemoDataset } from "./dataset/dataset.ts";
import { DemoBackend } from "./demo_backend.ts";
import { GuildChanges } from "./traffic/guild_changes.ts";

const dataset = createDemoDataset({ bigGuildMembers: 300 });
const GUILD = dataset.guilds[0]!.id;
const MEMBER = dataset.demoUsers.member.id;
const ADMIN = dataset.demoUsers.architusAdmin.id;

/** A demo backend with its bot channel open, and the pool updates it published. */
async function channel() {
  const bus = new MemoryBus();
  await bus.start();
  const backend = new DemoBackend(createDemoDataset({ bigGuildMembers: 300 }));
  backend.openBotChannel(new BotChannel(backend.guilds, new GuildChanges(backend, bus)));
  const published: PoolUpdate[] = [];
  await bus.subscribe(guildTopic(GUILD, "pool"), (_topic, body) => {
    const decoded = decodePoolUpdate(body);
    if (decoded.ok) published.push(decoded.value);
  });
  let messageId = 0;
  const say = async (userId: string, content: string) => {
    messageId += 2;
    const reply = await backend.mockUserAction({
      action: MockAction.messageSend,
      guildId: GUILD,
      userId,
      messageId,
      content,
    });
    return reply.actions.map((a) => "content" in a ? a.content : "");
  };
  const pool = () => [...backend.guilds.get(GUILD)!.pools.auto_response.values()];
  return { backend, bus, published, say, pool };
}

Deno.test("!set adds the trigger to the guild's pool and publishes it; !remove takes it away", async () => {
  const { bus, published, say, pool } = await channel();
  try {
    const [reply] = await say(MEMBER, "!set bot channel test::it works");
    assert.match(reply!, /respond to "bot channel test"/);
    const added = pool().find((r) => r.trigger === "bot channel test");
    assert.ok(added, "in the pool");
    assert.equal(added.author_id, MEMBER);
    assert.deepEqual(published.map((u) => [u.action, u.id]), [["add", added.id]]);
    assert.deepEqual(await say(MEMBER, "so does the bot channel test pass?"), ["it works"]);
    assert.equal(pool().find((r) => r.id === added.id)?.count, 1, "use is counted");
    assert.equal(published.at(-1)?.action, "update");
    assert.match((await say(MEMBER, "!remove BOT CHANNEL TEST"))[0]!, /won't respond/);
    assert.equal(pool().some((r) => r.id === added.id), false);
    assert.deepEqual([published.at(-1)?.action, published.at(-1)?.id], ["remove", added.id]);
  } finally {
    await bus.shutdown();
  }
});

Deno.test("the bot channel answers as the bot for what a member may not do", async () => {
  const { backend, bus, published, say, pool } = await channel();
  try {
    await say(ADMIN, "!set admins only::mine");
    const before = published.length;
    assert.match((await say(MEMBER, "!remove admins only"))[0]!, /can't remove theirs/);
    assert.match((await say(MEMBER, "!set admins only::yours"))[0]!, /can't edit theirs/);
    backend.guilds.get(GUILD)!.architusPermissions.set(
      MEMBER,
      ArchitusPermission.VIEW_PUBLIC_LOGS,
    );
    assert.match((await say(MEMBER, "!set new::thing"))[0]!, /permission to add/);
    assert.match((await say(MEMBER, "!set nonsense"))[0]!, /couldn't read that/);
    assert.match((await say(MEMBER, "!set x::" + "y".repeat(2000)))[0]!, /too long/);
    assert.equal(published.length, before, "nothing refused was published");
    assert.equal(pool().find((r) => r.trigger === "admins only")?.response, "mine");
  } finally {
    await bus.shutdown();
  }
});

Deno.test("a guild's auto responses are bounded; strangers and reactions are refused", async () => {
  const { backend, bus, say, pool } = await channel();
  try {
    for (let i = pool().length; i < MAX_GUILD_AUTO_RESPONSES; i++) {
      await say(ADMIN, `!set filler ${i}::x`);
    }
    assert.match((await say(ADMIN, "!set one more::x"))[0]!, /already has 300/);
    assert.equal(pool().length, MAX_GUILD_AUTO_RESPONSES);
    await assert.rejects(
      say(dataset.demoUsers.nonMember.id, "!set hi::there"),
      (e) => e instanceof BackendError && e.kind === "bad_request",
    );
    await assert.rejects(
      backend.mockUserAction({
        action: MockAction.reactionAdd,
        guildId: GUILD,
        userId: MEMBER,
        messageId: 1,
        emoji: "👍",
      }),
      BackendError,
    );
  } finally {
    await bus.shutdown();
  }
});

Deno.test("without the bot channel open a real guild's id is refused", async () => {
  const backend = new DemoBackend(createDemoDataset({ bigGuildMembers: 300 }));
  await assert.rejects(
    backend.mockUserAction({
      action: MockAction.messageSend,
      guildId: GUILD,
      userId: MEMBER,
      messageId: 2,
      content: "!set a::b",
    }),
    (e) => e instanceof BackendError && e.kind === "unsupported",
  );
});
