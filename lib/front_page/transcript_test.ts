import assert from "node:assert/strict";
import { clumpMessages } from "./clumps.ts";
import {
  addVisitorMessage,
  applyBotActions,
  hasOwnReaction,
  latestOffering,
  MAX_MESSAGES,
  type Message,
  reactionCount,
  setDelivery,
  setOwnReaction,
} from "./transcript.ts";

const AT = 1_700_000_000_000;

function poll(): readonly Message[] {
  let messages = addVisitorMessage([], { id: 0, content: '!poll "q" a, b', at: AT });
  messages = applyBotActions(messages, [
    { action: 3001, messageId: 7, content: "📊 **q**" },
    { action: 3100, messageId: 7, emoji: "1️⃣" },
    { action: 3100, messageId: 7, emoji: "2️⃣" },
  ], AT + 50);
  return messages;
}

Deno.test("transcript - a bot send adds a message with the bot's reactions", () => {
  const messages = poll();
  assert.equal(messages.length, 2);
  const [mine, bot] = messages as [Message, Message];
  assert.equal(mine.status, "sending");
  assert.equal(bot.author, "bot");
  assert.deepEqual(bot.reactions.map((r) => [r.emoji, reactionCount(r)]), [["1️⃣", 1], ["2️⃣", 1]]);
  // Applying the same actions again changes nothing: counts derive from who reacted.
  const twice = applyBotActions(messages, [{ action: 3100, messageId: 7, emoji: "1️⃣" }], AT);
  assert.equal(reactionCount(twice[1]?.reactions[0] as never), 1);
});

Deno.test("transcript - own reactions toggle, 3101 targetsUser clears only the visitor's", () => {
  let messages = setOwnReaction(poll(), 7, "1️⃣", true);
  assert.ok(hasOwnReaction(messages, 7, "1️⃣"));
  // Variation selectors do not matter, as on the bot side.
  assert.ok(hasOwnReaction(messages, 7, "1⃣"));
  assert.equal(reactionCount(messages[1]?.reactions[0] as never), 2);
  messages = applyBotActions(messages, [
    { action: 3101, messageId: 7, emoji: "1️⃣", targetsUser: true },
    { action: 3002, messageId: 7, content: "edited" },
  ], AT);
  assert.ok(!hasOwnReaction(messages, 7, "1️⃣"));
  assert.equal(reactionCount(messages[1]?.reactions[0] as never), 1);
  assert.equal(messages[1]?.content, "edited");
  assert.equal(messages[1]?.edited, true);
  // The bot taking its own reaction back removes the counter once nobody is left.
  messages = applyBotActions(messages, [
    { action: 3101, messageId: 7, emoji: "2️⃣", targetsUser: false },
  ], AT);
  assert.deepEqual(messages[1]?.reactions.map((r) => r.emoji), ["1️⃣"]);
  assert.equal(latestOffering(messages, "1️⃣")?.id, 7);
  assert.equal(latestOffering(messages, "2️⃣"), undefined);
});

Deno.test("transcript - delivery, deletes, unknown ids and the bound", () => {
  let messages = setDelivery(poll(), 0, "failed", "nope");
  assert.equal(messages[0]?.error, "nope");
  messages = setDelivery(messages, 0, "sent");
  assert.equal(messages[0]?.status, "sent");
  assert.ok(!("error" in (messages[0] as object)));
  assert.equal(setOwnReaction(messages, 99, "x", true), messages);
  assert.equal(applyBotActions(messages, [{ action: 72, messageId: 7 }], AT).length, 1);
  let many: readonly Message[] = [];
  for (let i = 0; i < MAX_MESSAGES + 20; i++) {
    many = addVisitorMessage(many, { id: i * 2, content: String(i), at: AT });
  }
  assert.equal(many.length, MAX_MESSAGES);
  assert.equal(many[0]?.content, "20");
});

Deno.test("clumpMessages() - same author within five minutes shares a header", () => {
  let messages = addVisitorMessage([], { id: 0, content: "a", at: AT });
  messages = addVisitorMessage(messages, { id: 2, content: "b", at: AT + 60_000 });
  messages = applyBotActions(messages, [{ action: 3001, messageId: 3, content: "c" }], AT + 61_000);
  messages = addVisitorMessage(messages, { id: 4, content: "d", at: AT + 62_000 });
  messages = addVisitorMessage(messages, { id: 6, content: "e", at: AT + 62_000 + 5 * 60_000 + 1 });
  assert.deepEqual(
    clumpMessages(messages).map((clump) => clump.messages.map((m) => m.content).join("")),
    ["ab", "c", "d", "e"],
  );
});
