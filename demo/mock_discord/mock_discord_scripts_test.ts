import assert from "node:assert/strict";
import { MockAction } from "../../gateway/protocol/mod.ts";
import {
  assertBadRequest,
  AUTO,
  botReactions,
  edits,
  harness,
  POLLS,
  sent,
  Visitor,
} from "./_mock_discord_test_helpers.ts";

// ---------------------------------------------------------------------------
// the front page's demo scripts (islands/_demos.ts), played end to end

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
// where the original shard's mock went wrong, each pinned: bot message ids (never
// null, odd, increasing), which message bot reactions go to, when an edit is sent,
// and what silent lines do

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
