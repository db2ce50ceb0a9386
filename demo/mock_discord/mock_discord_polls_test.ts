import assert from "node:assert/strict";
import { MockAction } from "../../gateway/protocol/mod.ts";
import {
  AUTO,
  botReactions,
  edits,
  harness,
  MENTION,
  POLLS,
  sent,
  Visitor,
} from "./_mock_discord_test_helpers.ts";

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
