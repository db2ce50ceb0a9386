import assert from "node:assert/strict";
import { MockAction } from "../../gateway/protocol/mod.ts";
import { MockDiscord } from "./mock_discord.ts";
import {
  assertBadRequest,
  AUTO,
  botReactions,
  checked,
  edits,
  harness,
  MENTION,
  POLLS,
  sent,
  Visitor,
} from "./_mock_discord_test_helpers.ts";

// ---------------------------------------------------------------------------
// bounds

Deno.test("MockDiscord keeps at most maxGuilds mock guilds, dropping the least recently used", () => {
  const { mock } = harness({ maxGuilds: 1000, maxMessagesPerGuild: 20 });
  const keeper = new Visitor(mock, 7, AUTO);
  keeper.say("!set hi::hey");
  for (let guildId = 100; guildId < 5100; guildId++) {
    const visitor = new Visitor(mock, guildId, AUTO);
    visitor.say("!help");
    visitor.say("!set a::b");
    // The keeper stays in use, so it is never the least recently used.
    if (guildId % 500 === 0) assert.equal(keeper.say("hi"), "hey");
  }
  const stats = mock.stats();
  assert.ok(stats.guilds <= 1000, JSON.stringify(stats));
  assert.ok(stats.messages <= 1000 * 20, JSON.stringify(stats));
  assert.ok(stats.autoResponses <= 1000 * 50, JSON.stringify(stats));
  assert.equal(keeper.say("hi"), "hey");
  // An early guild is gone: its trigger no longer fires.
  assert.deepEqual(new Visitor(mock, 100, AUTO).send("a"), []);
});

Deno.test("MockDiscord forgets the oldest messages past maxMessagesPerGuild", () => {
  const { mock } = harness({ maxMessagesPerGuild: 10 });
  const visitor = new Visitor(mock, 1, POLLS);
  const first = sent(visitor.send("!poll q, a, b"));
  for (let i = 0; i < 30; i++) visitor.send(`message ${i}`);
  assert.equal(mock.stats().messages, 10);
  assertBadRequest(() => visitor.react(first.messageId, "1️⃣"), /unknown message/);
  assert.deepEqual(visitor.react(visitor.lastUserMessageId, "👍"), []);
});

Deno.test("MockDiscord keeps only the twenty newest polls and events of a guild", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const polls = Array.from({ length: 25 }, (_, i) => sent(visitor.send(`!poll q${i}, a, b`)));
  assertBadRequest(() => visitor.react(polls[0]!.messageId, "1️⃣"), /unknown message/);
  assertBadRequest(() => visitor.react(polls[4]!.messageId, "1️⃣"), /unknown message/);
  assert.equal(visitor.react(polls[5]!.messageId, "1️⃣").length, 1);
  assert.equal(visitor.react(polls[24]!.messageId, "1️⃣").length, 1);
});

Deno.test("MockDiscord drops mock guilds idle longer than idleMs", () => {
  const { mock, clock } = harness({ idleMs: 60_000 });
  const idle = new Visitor(mock, 1, AUTO);
  const busy = new Visitor(mock, 2, AUTO);
  idle.say("!set hi::hey");
  const reply = sent(idle.send("!help"));
  busy.say("!set hi::hey");
  clock.now += 40_000;
  busy.say("hi");
  clock.now += 30_000;
  // Guild 1 was last used 70 s ago: gone on the next call, without a sweep.
  assert.equal(busy.say("hi"), "hey");
  assert.equal(mock.stats().guilds, 1);
  assertBadRequest(() => idle.react(reply.messageId, "👍"), /unknown message/);
  assert.deepEqual(idle.send("hi"), []);
  // sweep() drops the rest once they idle too.
  clock.now += 60_001;
  mock.sweep();
  assert.deepEqual(mock.stats(), { guilds: 0, messages: 0, autoResponses: 0 });
});

Deno.test("MockDiscord keeps a guild that is used within idleMs", () => {
  const { mock, clock } = harness({ idleMs: 60_000 });
  const visitor = new Visitor(mock, 1, AUTO);
  visitor.say("!set hi::hey");
  for (let i = 0; i < 5; i++) {
    clock.now += 59_000;
    mock.sweep();
    assert.equal(visitor.say("hi"), "hey");
  }
});

Deno.test("MockDiscord bounds output to 2000 characters when content is long", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, [...AUTO, ...POLLS]);
  // Upstream caps content at 2000; oversized input must still not throw or leak through.
  assert.deepEqual(visitor.send("x".repeat(50_000)), []);
  visitor.say(`!set hi::${"y".repeat(1000)}`);
  assert.equal(visitor.say(`hi ${"z ".repeat(3000)}`).length, 1000);
  // Only the first 2000 characters are read.
  assert.deepEqual(visitor.send(`${"z ".repeat(1000)} hi`), []);
  // Ten options at the longest kept length still fit, so the vote shows in full.
  const options = Array.from({ length: 10 }, (_, i) => `${i}${"o".repeat(170)}`).join(",");
  const poll = sent(visitor.send(`!poll ${"q".repeat(150)},${options}`));
  assert.ok(poll.content.length <= 2000);
  assert.equal(botReactions(visitor.send(`!poll ${"q".repeat(150)},${options}`)).length, 10);
  const voted = edits(visitor.react(poll.messageId, "🔟"))[0] ?? "";
  assert.ok(voted.length <= 2000 && voted.endsWith(MENTION), voted.slice(-80));
  const title = sent(visitor.send(`!schedule ${"t".repeat(1990)}`));
  assert.ok(title.content.length <= 2000);
});

// ---------------------------------------------------------------------------
// bad input

Deno.test("MockDiscord rejects unknown actions with bad_request", () => {
  const { mock } = harness();
  for (const action of [MockAction.messageDelete, MockAction.messageEdit, 0, Number.NaN]) {
    assertBadRequest(() => mock.handle({ action, guildId: 1, messageId: 0, content: "hi" }));
  }
});

Deno.test("MockDiscord rejects guild ids outside 0 to 9,999,999 with bad_request", () => {
  const { mock } = harness();
  for (const guildId of [-1, 10_000_000, 1.5, Number.NaN, Infinity]) {
    assertBadRequest(() =>
      mock.handle({ action: MockAction.messageSend, guildId, messageId: 0, content: "hi" })
    );
  }
  assert.deepEqual(
    mock.handle({
      action: MockAction.messageSend,
      guildId: 9_999_999,
      messageId: 0,
      content: "hi",
    }),
    {
      guildId: 9_999_999,
      actions: [],
    },
  );
});

Deno.test("MockDiscord rejects odd or malformed user message ids with bad_request", () => {
  const { mock } = harness();
  for (const messageId of [1, 3, -2, 2.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
    assertBadRequest(() =>
      mock.handle({ action: MockAction.messageSend, guildId: 1, messageId, content: "hi" })
    );
  }
  assert.equal(mock.stats().guilds, 0, "rejected input creates no guild");
});

Deno.test("MockDiscord rejects reactions to unknown messages or without an emoji", () => {
  const { mock } = harness();
  assertBadRequest(
    () => mock.handle({ action: MockAction.reactionAdd, guildId: 1, messageId: 0, emoji: "👍" }),
    /unknown message/,
  );
  assert.equal(mock.stats().guilds, 0);
  const visitor = new Visitor(mock, 1, AUTO);
  visitor.send("hello");
  assertBadRequest(() => visitor.react(999, "👍"), /unknown message/);
  assertBadRequest(() => visitor.unreact(999, "👍"), /unknown message/);
  for (const emoji of [undefined, "", "x".repeat(65)]) {
    assertBadRequest(() =>
      mock.handle({
        action: MockAction.reactionAdd,
        guildId: 1,
        messageId: visitor.lastUserMessageId,
        emoji,
      })
    );
  }
});

Deno.test("MockDiscord rejects non-string content with bad_request", () => {
  const { mock } = harness();
  const content = 42 as unknown as string;
  assertBadRequest(() =>
    mock.handle({ action: MockAction.messageSend, guildId: 1, messageId: 0, content })
  );
});

Deno.test("MockDiscord never throws for ordinary content", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, [...AUTO, ...POLLS]);
  const weird = [
    "",
    " ",
    "!",
    "!!",
    "!set",
    "!set ::",
    "!set [::]",
    "!set (.*)::regex?",
    "(.*)",
    '!poll "',
    "!poll “unclosed, a, b",
    "!schedule |",
    "!schedule | |",
    "!help 🤷",
    "\u0000\uD800",
    "🎉".repeat(1000),
  ];
  for (const line of weird) visitor.send(line);
  assert.equal(visitor.say("(.*)"), "regex?");
  assert.deepEqual(visitor.send("anything else"), []);
});

Deno.test("MockDiscord starts over when a user message id is reused", () => {
  const { mock } = harness();
  const reply = (content: string) =>
    checked(mock.handle({ action: MockAction.messageSend, guildId: 1, messageId: 0, content }), 1);
  reply("first");
  reply("second");
  assert.equal(mock.stats().messages, 1);
  assert.deepEqual(
    mock.handle({ action: MockAction.reactionAdd, guildId: 1, messageId: 0, emoji: "👍" }).actions,
    [],
  );
});

Deno.test("MockDiscord rejects invalid options when constructed", () => {
  for (const options of [{ maxGuilds: 0 }, { maxMessagesPerGuild: -1 }, { idleMs: 1.5 }]) {
    assert.throws(() => new MockDiscord(options), RangeError);
  }
});

Deno.test("MockDiscord keeps bot ids increasing when a dropped guild is recreated", () => {
  const { mock, clock } = harness({ idleMs: 1000 });
  const visitor = new Visitor(mock, 1, AUTO);
  const before = sent(visitor.send("!help")).messageId;
  clock.now += 5000;
  mock.sweep();
  assert.equal(mock.stats().guilds, 0);
  // The page still shows the old reply, so a new one must not reuse its id.
  const after = sent(visitor.send("!help")).messageId;
  assert.ok(after > before, `${after} > ${before}`);
});
