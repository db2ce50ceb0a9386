import assert from "node:assert/strict";
import { MockAction } from "../../gateway/protocol/mod.ts";
import { AUTO, harness, POLLS, Visitor } from "./_mock_discord_test_helpers.ts";

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
