import assert from "node:assert/strict";
import { MockAction, MockBotAction } from "../../gateway/protocol/mod.ts";
import {
  BackendError,
  type MockBotReply,
  type MockUserAction,
} from "../../gateway/backend/backend.ts";
import { MockDiscord, type MockDiscordOptions } from "./mock_discord.ts";

const MENTION = "<@%_CLIENT_ID_%>";
const AUTO = ["set", "remove"];
const POLLS = ["poll", "xpoll", "schedule"];

type Action = MockBotReply["actions"][number];

/** Every reply must satisfy the wire schema: this is what catches `messageId: null`. */
function checked(reply: MockBotReply, guildId: number): MockBotReply {
  assert.equal(reply.guildId, guildId);
  for (const action of reply.actions) {
    assert.ok(MockBotAction.safeParse(action).success, `bad action ${JSON.stringify(action)}`);
    assert.ok(Number.isSafeInteger(action.messageId), "messageId must be an integer");
    if (action.action === MockAction.messageSend || action.action === MockAction.messageEdit) {
      assert.ok(action.content.length > 0, "no empty content");
      assert.ok(action.content.length <= 2000, "content within Discord's limit");
    }
    if (action.action === MockAction.messageSend) {
      assert.equal(action.messageId % 2, 1, "bot ids are odd");
    }
  }
  return reply;
}

/** A fake clock and a scripted random source. */
function harness(options: MockDiscordOptions = {}, randoms: number[] = []) {
  const clock = { now: 1_000_000 };
  let nextRandom = 0;
  const mock = new MockDiscord({
    now: () => clock.now,
    random: () => randoms.length === 0 ? 0 : randoms[nextRandom++ % randoms.length] ?? 0,
    ...options,
  });
  return { mock, clock };
}

/** One visitor's conversation in one mock guild, with even message ids like the front end's. */
class Visitor {
  readonly mock: MockDiscord;
  readonly guildId: number;
  readonly allowed: readonly string[] | undefined;
  #nextId = 0;
  lastUserMessageId = -1;

  constructor(mock: MockDiscord, guildId: number, allowed?: readonly string[]) {
    this.mock = mock;
    this.guildId = guildId;
    this.allowed = allowed;
  }

  send(content: string, silent = false): Action[] {
    this.lastUserMessageId = this.#nextId;
    this.#nextId += 2;
    const action: MockUserAction = {
      action: MockAction.messageSend,
      guildId: this.guildId,
      messageId: this.lastUserMessageId,
      content,
      allowedCommands: this.allowed,
      silent,
    };
    return [...checked(this.mock.handle(action), this.guildId).actions];
  }

  /** The text of the single message the bot sends in answer. */
  say(content: string): string {
    const actions = this.send(content);
    assert.equal(actions.length, 1, `one reply to ${content}: ${JSON.stringify(actions)}`);
    const [only] = actions;
    assert.ok(only !== undefined && only.action === MockAction.messageSend);
    return only.content;
  }

  react(messageId: number, emoji: string): Action[] {
    const reply = this.mock.handle({
      action: MockAction.reactionAdd,
      guildId: this.guildId,
      messageId,
      emoji,
    });
    return [...checked(reply, this.guildId).actions];
  }

  unreact(messageId: number, emoji: string): Action[] {
    const reply = this.mock.handle({
      action: MockAction.reactionRemove,
      guildId: this.guildId,
      messageId,
      emoji,
    });
    return [...checked(reply, this.guildId).actions];
  }
}

function sent(actions: readonly Action[]): { messageId: number; content: string } {
  const sends = actions.filter((a) => a.action === MockAction.messageSend);
  assert.equal(sends.length, 1, JSON.stringify(actions));
  const [only] = sends;
  assert.ok(only !== undefined && only.action === MockAction.messageSend);
  return { messageId: only.messageId, content: only.content };
}

function edits(actions: readonly Action[]): string[] {
  return actions.flatMap((a) => a.action === MockAction.messageEdit ? [a.content] : []);
}

function botReactions(actions: readonly Action[]): Array<[number, string]> {
  return actions.flatMap((a) =>
    a.action === MockAction.reactionAdd ? [[a.messageId, a.emoji] as [number, string]] : []
  );
}

function assertBadRequest(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BackendError, `not a BackendError: ${String(error)}`);
    assert.equal(error.kind, "bad_request");
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  });
}

// ---------------------------------------------------------------------------
// help and the allowedCommands gate

Deno.test("MockDiscord lists only help when allowedCommands is missing or empty", () => {
  const { mock } = harness();
  for (const allowed of [undefined, []]) {
    const text = new Visitor(mock, 1, allowed).say("!help");
    assert.match(text, /^\*\*Commands:\*\*\n`!help \[command\]` — /);
    assert.equal(text.split("\n").length, 2);
  }
});

Deno.test("MockDiscord lists the enabled commands in a fixed order when asked for help", () => {
  const { mock } = harness();
  const text = new Visitor(mock, 1, ["remove", "SET", "emotes", "bogus"]).say("!help");
  assert.equal(
    text,
    [
      "**Commands:**",
      "`!help [command]` — list the commands, or show how to use one",
      "`!set <trigger>::<response>` — respond to <trigger> with <response>; " +
      "write [a,b,c] to pick one at random",
      "`!remove <trigger>` — stop responding to <trigger>",
    ].join("\n"),
  );
  const polls = new Visitor(mock, 2, POLLS).say("!help");
  assert.deepEqual(
    polls.split("\n").slice(1).map((line) => line.split(" ")[0]),
    ["`!help", "`!poll", "`!xpoll", "`!schedule"],
  );
});

Deno.test("MockDiscord shows one command's usage when asked for help on it", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  assert.equal(
    visitor.say("!help set"),
    "`!set <trigger>::<response>` — respond to <trigger> with <response>; " +
      "write [a,b,c] to pick one at random\nExample: `!set hi::hey there!`",
  );
  assert.match(visitor.say("!help !remove"), /^`!remove <trigger>` — /);
  assert.match(visitor.say("!HELP help"), /^`!help \[command\]` — /);
  assert.equal(
    visitor.say("!help poll"),
    'There is no command called "poll" here. Type `!help` to see the commands.',
  );
});

Deno.test("MockDiscord treats a command that is not enabled as an ordinary message", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, ["set"]);
  assert.deepEqual(visitor.send("!poll best?, a, b"), []);
  assert.deepEqual(visitor.send("!remove anything"), []);
  assert.deepEqual(visitor.send("!emotes"), []);
  // Still an ordinary message: a matching auto response fires.
  visitor.say("!set remove::no removing here");
  assert.equal(visitor.say("!remove anything"), "no removing here");
  assert.equal(mock.stats().autoResponses, 1);
});

// ---------------------------------------------------------------------------
// auto responses

Deno.test("MockDiscord confirms !set and responds to the trigger", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  assert.equal(visitor.say("!set hi::hey"), `Sure thing — I'll respond to "hi" with "hey".`);
  assert.equal(visitor.say("hi"), "hey");
  assert.equal(mock.stats().autoResponses, 1);
});

Deno.test("MockDiscord matches a trigger case-insensitively as a whole word or phrase", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  visitor.say("!set hi::hey");
  for (const hit of ["hi", "oh hi there", "HI!", "Hi, you", "(hi)"]) {
    assert.equal(visitor.say(hit), "hey", hit);
  }
  for (const miss of ["this", "hit me", "chi", "h i", "hi_there"]) {
    assert.deepEqual(visitor.send(miss), [], miss);
  }
  visitor.say("!set Good   Morning::morning!");
  assert.equal(visitor.say("well good  MORNING all"), "morning!");
  assert.deepEqual(visitor.send("good mornings"), []);
  // Edges that are not word characters need no boundary.
  visitor.say("!set <3::aww");
  assert.equal(visitor.say("i<3 you"), "aww");
  assert.deepEqual(visitor.send("i <33"), []);
});

Deno.test("MockDiscord picks one of a list response at random each time it triggers", () => {
  const { mock } = harness({}, [0, 0.99, 0.5]);
  const visitor = new Visitor(mock, 1, AUTO);
  assert.equal(
    visitor.say("!set thanks::[you're welcome!, no problem!,, np ]"),
    `Sure thing — I'll respond to "thanks" with "you're welcome!", "no problem!" or "np" ` +
      "(picked at random).",
  );
  assert.equal(visitor.say("thanks"), "you're welcome!");
  assert.equal(visitor.say("thanks"), "np");
  assert.equal(visitor.say("thanks"), "no problem!");
});

Deno.test("MockDiscord replaces an existing trigger when it is set again", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  visitor.say("!set hi::hey");
  assert.equal(
    visitor.say("!set HI::hello :wave:"),
    `Updated — I'll now respond to "HI" with "hello :wave:" instead.`,
  );
  assert.equal(visitor.say("hi"), "hello :wave:");
  assert.equal(mock.stats().autoResponses, 1);
});

Deno.test("MockDiscord explains !set usage when the argument is malformed", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  for (
    const bad of ["!set", "!set hi", "!set ::hey", "!set hi::", "!set hi::[]", "!set hi::[ , ]"]
  ) {
    assert.match(visitor.say(bad), /^I couldn't read that\.\n`!set <trigger>::<response>`/, bad);
  }
  assert.match(visitor.say(`!set ${"x".repeat(101)}::y`), /trigger is too long/);
  assert.match(visitor.say(`!set x::${"y".repeat(1001)}`), /response is too long/);
  assert.equal(mock.stats().autoResponses, 0);
});

Deno.test("MockDiscord confirms !remove, or says there was no such trigger", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  visitor.say("!set hi::hey");
  assert.equal(visitor.say("!remove  Hi "), `Done — I won't respond to "Hi" anymore.`);
  assert.deepEqual(visitor.send("hi"), []);
  assert.equal(visitor.say("!remove hi"), `There's no auto response for "hi".`);
  assert.match(visitor.say("!remove"), /^Which trigger should I remove\?\n`!remove <trigger>`/);
  assert.equal(mock.stats().autoResponses, 0);
});

Deno.test("MockDiscord politely refuses a new auto response past the per-guild bound", () => {
  const { mock } = harness({ maxAutoResponsesPerGuild: 3 });
  const visitor = new Visitor(mock, 1, AUTO);
  for (const word of ["a", "b", "c"]) visitor.say(`!set ${word}::${word}!`);
  assert.equal(
    visitor.say("!set d::d!"),
    "Sorry, this server already has the most auto responses it can have (3). " +
      "Remove one with `!remove <trigger>` first.",
  );
  assert.deepEqual(visitor.send("d"), []);
  // Replacing is not adding.
  assert.match(visitor.say("!set a::A!"), /^Updated/);
  assert.equal(mock.stats().autoResponses, 3);
  // Without !remove enabled the refusal does not suggest it.
  const other = new Visitor(mock, 2, ["set"]);
  for (const word of ["a", "b", "c"]) other.say(`!set ${word}::${word}!`);
  assert.equal(
    other.say("!set d::d!"),
    "Sorry, this server already has the most auto responses it can have (3).",
  );
});

Deno.test("MockDiscord answers each matching trigger in order of appearance, at most five", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  for (const word of ["one", "two", "three", "four", "five", "six"]) {
    visitor.say(`!set ${word}::${word.toUpperCase()}`);
  }
  const actions = visitor.send("six five four three two one");
  assert.deepEqual(
    actions.map((a) => a.action === MockAction.messageSend ? a.content : ""),
    ["SIX", "FIVE", "FOUR", "THREE", "TWO"],
  );
});

Deno.test("MockDiscord keeps each mock guild's auto responses to itself", () => {
  const { mock } = harness();
  new Visitor(mock, 1, AUTO).say("!set hi::hey");
  assert.deepEqual(new Visitor(mock, 2, AUTO).send("hi"), []);
});

// ---------------------------------------------------------------------------
// polls

Deno.test("MockDiscord creates a poll from comma-separated parts and reacts with numbers", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const actions = visitor.send("!poll Best pet?, cats, dogs , birds");
  const poll = sent(actions);
  assert.equal(
    poll.content,
    [
      "📊 **Best pet?**",
      "_React with a number to vote._",
      "1️⃣ cats — 0 votes",
      "2️⃣ dogs — 0 votes",
      "3️⃣ birds — 0 votes",
    ].join("\n"),
  );
  assert.deepEqual(botReactions(actions), [
    [poll.messageId, "1️⃣"],
    [poll.messageId, "2️⃣"],
    [poll.messageId, "3️⃣"],
  ]);
  // The send comes before the reactions that refer to it.
  assert.equal(actions[0]?.action, MockAction.messageSend);
});

Deno.test("MockDiscord takes a quoted poll question with the options after it", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const straight = sent(visitor.send('!poll "Pizza, or tacos?" pizza, tacos'));
  assert.match(straight.content, /^📊 \*\*Pizza, or tacos\?\*\*\n/);
  assert.match(straight.content, /\n1️⃣ pizza — 0 votes\n2️⃣ tacos — 0 votes$/);
  const curly = sent(visitor.send("!poll “Which one?”, this, that"));
  assert.match(curly.content, /^📊 \*\*Which one\?\*\*\n.*\n1️⃣ this — 0 votes\n2️⃣ that/);
  // With no commas after a quoted question, each word is an option.
  const words = sent(visitor.send('!poll "Ready?" yes no'));
  assert.match(words.content, /1️⃣ yes — 0 votes\n2️⃣ no — 0 votes$/);
});

Deno.test("MockDiscord uses only the first ten options of a poll", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const options = Array.from({ length: 12 }, (_, i) => `opt${i + 1}`).join(", ");
  const actions = visitor.send(`!poll Pick one, ${options}`);
  const poll = sent(actions);
  assert.equal(botReactions(actions).length, 10);
  assert.equal(botReactions(actions).at(-1)?.[1], "🔟");
  assert.match(poll.content, /🔟 opt10 — 0 votes\n_Only the first 10 options are used\._$/);
  assert.doesNotMatch(poll.content, /opt11/);
});

Deno.test("MockDiscord explains poll usage when a poll has fewer than two options", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  for (const bad of ["!poll", "!poll question only", "!poll question, one", "!xpoll , a, b"]) {
    const actions = visitor.send(bad);
    assert.equal(actions.length, 1, bad);
    assert.match(sent(actions).content, /^I couldn't read that poll\.\n`!x?poll <question>/, bad);
  }
});

Deno.test("MockDiscord counts votes on a poll and edits it when they change", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const poll = sent(visitor.send("!poll Best pet?, cats, dogs"));
  const first = visitor.react(poll.messageId, "1️⃣");
  assert.deepEqual(first.map((a) => a.action), [MockAction.messageEdit]);
  assert.equal(first[0]?.messageId, poll.messageId);
  assert.match(
    edits(first)[0] ?? "",
    new RegExp(`1️⃣ cats — 1 vote: ${MENTION}\n2️⃣ dogs — 0 votes`),
  );
  // A plain poll allows several votes.
  const second = visitor.react(poll.messageId, "2️⃣");
  assert.match(edits(second)[0] ?? "", /1️⃣ cats — 1 vote: .*\n2️⃣ dogs — 1 vote: /);
  const removed = visitor.unreact(poll.messageId, "1️⃣");
  assert.deepEqual(removed.map((a) => a.action), [MockAction.messageEdit]);
  assert.match(edits(removed)[0] ?? "", /1️⃣ cats — 0 votes\n2️⃣ dogs — 1 vote: /);
});

Deno.test("MockDiscord moves an exclusive poll vote and clears the visitor's old reaction", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const poll = sent(visitor.send("!xpoll Tabs or spaces?, tabs, spaces"));
  assert.match(poll.content, /One vote per person/);
  visitor.react(poll.messageId, "1️⃣");
  const moved = visitor.react(poll.messageId, "2️⃣");
  assert.deepEqual(moved[0], {
    action: MockAction.reactionRemove,
    messageId: poll.messageId,
    emoji: "1️⃣",
    targetsUser: true,
  });
  assert.equal(moved[1]?.action, MockAction.messageEdit);
  assert.match(edits(moved)[0] ?? "", /1️⃣ tabs — 0 votes\n2️⃣ spaces — 1 vote: /);
  assert.equal(moved.length, 2);
  // The old vote really is gone: removing it changes nothing.
  assert.deepEqual(visitor.unreact(poll.messageId, "1️⃣"), []);
});

Deno.test("MockDiscord treats a number emoji without its variation selector as the same vote", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const poll = sent(visitor.send("!xpoll Q?, a, b"));
  visitor.react(poll.messageId, "1\u20E3");
  const moved = visitor.react(poll.messageId, "2️⃣");
  // The UI is told to clear the emoji exactly as the visitor sent it.
  assert.deepEqual(moved[0], {
    action: MockAction.reactionRemove,
    messageId: poll.messageId,
    emoji: "1\u20E3",
    targetsUser: true,
  });
});

// ---------------------------------------------------------------------------
// schedules

function scheduleOf(visitor: Visitor, text: string): { title: string; when: string } {
  const content = sent(visitor.send(text)).content;
  const match = /^📅 \*\*(.*)\*\*\n🕒 \*\*When:\*\* (.*)\n/.exec(content);
  assert.ok(match !== null, content);
  return { title: match[1] ?? "", when: match[2] ?? "" };
}

Deno.test("MockDiscord creates an event with RSVP sections and reacts ✅ ❌ 🤷", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const actions = visitor.send("!schedule cool event 12pm");
  const event = sent(actions);
  assert.equal(
    event.content,
    [
      "📅 **cool event**",
      "🕒 **When:** 12:00 PM",
      "✅ **Attending (0):** —",
      "❌ **Not attending (0):** —",
      "🤷 **Maybe (0):** —",
    ].join("\n"),
  );
  assert.deepEqual(botReactions(actions), [
    [event.messageId, "✅"],
    [event.messageId, "❌"],
    [event.messageId, "🤷"],
  ]);
});

Deno.test("MockDiscord parses the event time out of the title, or echoes it after a bar", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const cases: Array<[string, string, string]> = [
    ["Overwatch scrims 8pm Wednesday", "Overwatch scrims", "Wednesday 8:00 PM"],
    ["party at 8:30 pm next friday", "party", "Next Friday 8:30 PM"],
    ["dinner tomorrow at 19:30", "dinner", "Tomorrow 19:30"],
    ["launch on Jan 5th at noon", "launch", "January 5 12:00 PM"],
    ["raid 2024-05-01 9am", "raid", "2024-05-01 9:00 AM"],
    ["we may meet", "we may meet", "not set"],
    ["8pm", "Untitled event", "8:00 PM"],
    ["launch | sometime soon", "launch", "sometime soon"],
    ["launch | friday 6pm", "launch", "Friday 6:00 PM"],
    ["13pm meeting", "13pm meeting", "not set"],
  ];
  for (const [input, title, when] of cases) {
    assert.deepEqual(scheduleOf(visitor, `!schedule ${input}`), { title, when }, input);
  }
  assert.match(sent(visitor.send("!schedule")).content, /^What should I schedule\?\n`!schedule/);
});

Deno.test("MockDiscord records one RSVP per visitor and edits the event when it changes", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const event = sent(visitor.send("!schedule Overwatch scrims 8pm Wednesday"));
  const going = visitor.react(event.messageId, "✅");
  assert.deepEqual(going.map((a) => a.action), [MockAction.messageEdit]);
  assert.match(edits(going)[0] ?? "", new RegExp(`✅ \\*\\*Attending \\(1\\):\\*\\* ${MENTION}`));
  const maybe = visitor.react(event.messageId, "🤷");
  assert.deepEqual(maybe[0], {
    action: MockAction.reactionRemove,
    messageId: event.messageId,
    emoji: "✅",
    targetsUser: true,
  });
  const edited = edits(maybe)[0] ?? "";
  assert.match(edited, /✅ \*\*Attending \(0\):\*\* —/);
  assert.match(edited, new RegExp(`🤷 \\*\\*Maybe \\(1\\):\\*\\* ${MENTION}`));
  const none = visitor.unreact(event.messageId, "🤷");
  assert.deepEqual(none.map((a) => a.action), [MockAction.messageEdit]);
  assert.equal(
    edits(none)[0],
    sent(visitor.send("!schedule Overwatch scrims 8pm Wednesday")).content,
  );
});

Deno.test("MockDiscord counts a shrug with a skin tone as Maybe", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const event = sent(visitor.send("!schedule game night 9pm"));
  const maybe = visitor.react(event.messageId, "🤷🏽‍♀️");
  assert.match(edits(maybe)[0] ?? "", /🤷 \*\*Maybe \(1\):\*\*/);
});

// ---------------------------------------------------------------------------
// reactions on other messages

Deno.test("MockDiscord records reactions on ordinary messages and answers nothing", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  const reply = sent(visitor.send("!help"));
  assert.deepEqual(visitor.react(reply.messageId, "👍"), []);
  assert.deepEqual(visitor.react(visitor.lastUserMessageId, "🎉"), []);
  assert.deepEqual(visitor.unreact(reply.messageId, "👍"), []);
  assert.deepEqual(visitor.unreact(reply.messageId, "👍"), []);
});

// ---------------------------------------------------------------------------
// the front page's demo scripts (§6.5)

Deno.test("MockDiscord runs the auto response demo's first set end to end", () => {
  const { mock } = harness({}, [0, 0.7]);
  const visitor = new Visitor(mock, 4_242_424, AUTO);
  assert.match(visitor.say("!help"), /^\*\*Commands:\*\*\n`!help.*\n`!set.*\n`!remove.*$/);
  assert.equal(
    visitor.say("!set thanks::[you're welcome!,no problem!]"),
    `Sure thing — I'll respond to "thanks" with "you're welcome!" or "no problem!" ` +
      "(picked at random).",
  );
  assert.equal(visitor.say("thanks"), "you're welcome!");
  assert.equal(visitor.say("thanks"), "no problem!");
  assert.equal(visitor.say("!remove thanks"), `Done — I won't respond to "thanks" anymore.`);
  assert.deepEqual(visitor.send("thanks"), []);
});

Deno.test("MockDiscord runs the auto response demo's second set end to end", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 9_999_999, AUTO);
  assert.equal(visitor.say("!set hi::hey"), `Sure thing — I'll respond to "hi" with "hey".`);
  assert.equal(visitor.say("hi"), "hey");
  assert.equal(
    visitor.say("!set hi::hello :wave:"),
    `Updated — I'll now respond to "hi" with "hello :wave:" instead.`,
  );
  assert.equal(visitor.say("!remove hi"), `Done — I won't respond to "hi" anymore.`);
  assert.equal(
    visitor.say("!set hi::hello :wave:"),
    `Sure thing — I'll respond to "hi" with "hello :wave:".`,
  );
  assert.equal(visitor.say("hi"), "hello :wave:");
  // Cleanup is sent silent: no reply, but the trigger is gone for the next loop.
  assert.deepEqual(visitor.send("!remove hi", true), []);
  assert.equal(mock.stats().autoResponses, 0);
  assert.equal(visitor.say("!set hi::hey"), `Sure thing — I'll respond to "hi" with "hey".`);
});

Deno.test("MockDiscord runs the polls and schedules demo end to end", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 0, POLLS);
  // Set 1.
  const cool = visitor.send("!schedule cool event 12pm");
  const coolEvent = sent(cool);
  assert.match(coolEvent.content, /^📅 \*\*cool event\*\*\n🕒 \*\*When:\*\* 12:00 PM\n/);
  assert.deepEqual(botReactions(cool).map(([, emoji]) => emoji), ["✅", "❌", "🤷"]);
  const xpoll = visitor.send('!xpoll "a hot dog is a:" sandwich, not a sandwich');
  const poll = sent(xpoll);
  assert.equal(
    poll.content,
    [
      "📊 **a hot dog is a:**",
      "_React with a number to vote. One vote per person._",
      "1️⃣ sandwich — 0 votes",
      "2️⃣ not a sandwich — 0 votes",
    ].join("\n"),
  );
  assert.deepEqual(botReactions(xpoll), [[poll.messageId, "1️⃣"], [poll.messageId, "2️⃣"]]);
  // A visitor plays along.
  assert.match(edits(visitor.react(coolEvent.messageId, "✅"))[0] ?? "", /Attending \(1\)/);
  assert.match(edits(visitor.react(poll.messageId, "2️⃣"))[0] ?? "", /not a sandwich — 1 vote/);
  assert.equal(visitor.react(poll.messageId, "1️⃣")[0]?.action, MockAction.reactionRemove);
  // Set 2.
  assert.match(visitor.say("!help"), /`!poll .*\n`!xpoll .*\n`!schedule /);
  const scrims = sent(visitor.send("!schedule Overwatch scrims 8pm Wednesday"));
  assert.match(
    scrims.content,
    /^📅 \*\*Overwatch scrims\*\*\n🕒 \*\*When:\*\* Wednesday 8:00 PM\n/,
  );
  assert.deepEqual(visitor.send("Vote in the poll above @everyone"), []);
});

// ---------------------------------------------------------------------------
// the original shard's bugs (§6.3), each pinned

Deno.test("MockDiscord never sends a message with a null id when the message is silent", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, [...AUTO, ...POLLS]);
  for (const line of ["!help", "!set a::b", "!remove a", "!poll q, a, b", "!schedule x 8pm", "a"]) {
    assert.deepEqual(visitor.send(line, true), [], line);
  }
  // Nor for an ordinary message that triggers nothing.
  assert.deepEqual(visitor.send("nothing to see"), []);
  assert.deepEqual(visitor.send(""), []);
});

Deno.test("MockDiscord gives bot messages odd ids that increase within a mock guild", () => {
  const { mock } = harness({}, [0.123456]);
  const visitor = new Visitor(mock, 1, [...AUTO, ...POLLS]);
  const ids: number[] = [];
  for (const line of ["!help", "!set hi::hey", "hi", "!poll q, a, b", "!schedule x", "!help"]) {
    ids.push(sent(visitor.send(line)).messageId);
  }
  for (const id of ids) assert.ok(Number.isSafeInteger(id) && id % 2 === 1, String(id));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, ids.join(","));
});

Deno.test("MockDiscord aims bot reactions at the poll or event message, not the user's", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  for (const line of ["!poll q, a, b, c", "!xpoll q, a, b", "!schedule x 8pm"]) {
    const actions = visitor.send(line);
    const message = sent(actions);
    const reactions = botReactions(actions);
    assert.ok(reactions.length >= 2);
    for (const [messageId] of reactions) {
      assert.equal(messageId, message.messageId);
      assert.notEqual(messageId, visitor.lastUserMessageId);
    }
  }
});

Deno.test("MockDiscord sends no edit when a reaction changes nothing", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const poll = sent(visitor.send("!poll q, a, b"));
  const event = sent(visitor.send("!schedule x 8pm"));
  assert.equal(visitor.react(poll.messageId, "1️⃣").length, 1);
  // The same vote again, an emoji that is not an option, and removing what was never there.
  assert.deepEqual(visitor.react(poll.messageId, "1️⃣"), []);
  assert.deepEqual(visitor.react(poll.messageId, "3️⃣"), []);
  assert.deepEqual(visitor.react(poll.messageId, "🍕"), []);
  assert.deepEqual(visitor.unreact(poll.messageId, "🍕"), []);
  assert.deepEqual(visitor.unreact(poll.messageId, "2️⃣"), []);
  assert.deepEqual(visitor.react(event.messageId, "🎉"), []);
  assert.deepEqual(visitor.unreact(event.messageId, "❌"), []);
});

Deno.test("MockDiscord edits a message back to its full text when a reaction is removed", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  const poll = sent(visitor.send("!poll q, a, b"));
  visitor.react(poll.messageId, "2️⃣");
  const removed = visitor.unreact(poll.messageId, "2️⃣");
  assert.deepEqual(edits(removed), [poll.content]);
});

Deno.test("MockDiscord applies silent !set and !remove without a reply", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  assert.deepEqual(visitor.send("!set hi::hey", true), []);
  assert.equal(mock.stats().autoResponses, 1);
  assert.equal(visitor.say("hi"), "hey");
  assert.deepEqual(visitor.send("!remove hi", true), []);
  assert.equal(mock.stats().autoResponses, 0);
  assert.deepEqual(visitor.send("hi"), []);
});

Deno.test("MockDiscord lets a silent ordinary message trigger nothing", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, AUTO);
  visitor.say("!set hi::hey");
  const before = mock.stats().messages;
  assert.deepEqual(visitor.send("hi", true), []);
  // An invisible message leaves nothing behind to react to.
  assert.equal(mock.stats().messages, before);
  assertBadRequest(() => visitor.react(visitor.lastUserMessageId, "👍"), /unknown message/);
});

Deno.test("MockDiscord creates no poll or event for a silent command", () => {
  const { mock } = harness();
  const visitor = new Visitor(mock, 1, POLLS);
  visitor.send("!poll q, a, b", true);
  visitor.send("!schedule x", true);
  assert.equal(mock.stats().messages, 0);
});

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
