// This module is browser-compatible.
import type { MockBotAction } from "../../client/mod.ts";
import { MockAction } from "../../client/mod.ts";

/** Who wrote a message: the bot, or the visitor viewing the page. */
export type Author = "bot" | "you";

/** Where a visitor's message is: on its way, answered, or lost. */
export type DeliveryStatus = "sending" | "sent" | "failed";

/**
 * One emoji under a message. The demo has exactly two people, so a reaction
 * is who placed it, and the counter is derived; applying the same action
 * twice cannot inflate it.
 */
export interface Reaction {
  readonly emoji: string;
  readonly bot: boolean;
  readonly mine: boolean;
}

export interface Message {
  readonly id: number;
  readonly author: Author;
  readonly content: string;
  /** Milliseconds since the epoch, when it was posted. */
  readonly at: number;
  readonly edited: boolean;
  readonly reactions: readonly Reaction[];
  readonly status: DeliveryStatus;
  /** Why a `failed` message failed, for the visitor. */
  readonly error?: string;
  /** A note from the bot to the visitor alone (a hint), as Discord's ephemeral messages. */
  readonly ephemeral?: boolean;
}

/** Messages kept per channel; older ones scroll away for good. */
export const MAX_MESSAGES = 100;

/** The number shown on a reaction counter. */
export function reactionCount(reaction: Reaction): number {
  return (reaction.bot ? 1 : 0) + (reaction.mine ? 1 : 0);
}

/**
 * Compares emoji the way the bot does: clients disagree on variation
 * selectors (`1️⃣` vs `1⃣`), so they are ignored.
 */
function sameEmoji(a: string, b: string): boolean {
  const strip = (emoji: string) => emoji.replace(/[\uFE0E\uFE0F]/g, "");
  return strip(a) === strip(b);
}

function bounded(messages: readonly Message[]): readonly Message[] {
  return messages.length > MAX_MESSAGES ? messages.slice(-MAX_MESSAGES) : messages;
}

function updateMessage(
  messages: readonly Message[],
  id: number,
  update: (message: Message) => Message,
): readonly Message[] {
  const index = messages.findIndex((message) => message.id === id);
  if (index < 0) return messages;
  const next = messages.slice();
  next[index] = update(messages[index] as Message);
  return next;
}

function withReaction(
  message: Message,
  emoji: string,
  change: (reaction: Reaction) => Reaction,
): Message {
  const index = message.reactions.findIndex((reaction) => sameEmoji(reaction.emoji, emoji));
  const before = index < 0 ? { emoji, bot: false, mine: false } : message.reactions[index];
  const after = change(before as Reaction);
  const reactions = message.reactions.slice();
  if (!after.bot && !after.mine) {
    if (index >= 0) reactions.splice(index, 1);
  } else if (index < 0) {
    reactions.push(after);
  } else {
    reactions[index] = after;
  }
  return { ...message, reactions };
}

/** Adds the visitor's message, shown at once while it is on its way. */
export function addVisitorMessage(
  messages: readonly Message[],
  message: { id: number; content: string; at: number },
): readonly Message[] {
  return bounded([
    ...messages,
    { ...message, author: "you", edited: false, reactions: [], status: "sending" },
  ]);
}

/** Adds the bot's note to the visitor alone (not sent by the bot: the page knows it). */
export function addHint(
  messages: readonly Message[],
  hint: { id: number; content: string; at: number },
): readonly Message[] {
  return bounded([
    ...messages,
    { ...hint, author: "bot", edited: false, reactions: [], status: "sent", ephemeral: true },
  ]);
}

/** Records how the visitor's message fared. */
export function setDelivery(
  messages: readonly Message[],
  id: number,
  status: DeliveryStatus,
  error?: string,
): readonly Message[] {
  return updateMessage(messages, id, (message) => {
    const next: Message = { ...message, status };
    if (error === undefined) delete (next as { error?: string }).error;
    else (next as { error?: string }).error = error;
    return next;
  });
}

/** Sets whether the visitor has reacted with `emoji` to message `id`. */
export function setOwnReaction(
  messages: readonly Message[],
  id: number,
  emoji: string,
  mine: boolean,
): readonly Message[] {
  return updateMessage(
    messages,
    id,
    (message) => withReaction(message, emoji, (reaction) => ({ ...reaction, mine })),
  );
}

/** Whether the visitor has reacted with `emoji` to message `id`. */
export function hasOwnReaction(messages: readonly Message[], id: number, emoji: string): boolean {
  const message = messages.find((candidate) => candidate.id === id);
  return message?.reactions.some((r) => r.mine && sameEmoji(r.emoji, emoji)) ?? false;
}

/** Applies what the bot did (a `mock_bot_event`'s actions), in order. */
export function applyBotActions(
  messages: readonly Message[],
  actions: readonly MockBotAction[],
  at: number,
): readonly Message[] {
  let next = messages;
  for (const action of actions) {
    switch (action.action) {
      case MockAction.messageSend:
        // A repeated send (a resent frame) replaces rather than duplicates.
        next = next.some((message) => message.id === action.messageId)
          ? updateMessage(next, action.messageId, (m) => ({ ...m, content: action.content }))
          : [...next, {
            id: action.messageId,
            author: "bot",
            content: action.content,
            at,
            edited: false,
            reactions: [],
            status: "sent",
          }];
        break;
      case MockAction.messageEdit:
        next = updateMessage(next, action.messageId, (message) => ({
          ...message,
          content: action.content,
          edited: true,
        }));
        break;
      case MockAction.messageDelete:
        next = next.filter((message) => message.id !== action.messageId);
        break;
      case MockAction.reactionAdd:
        next = updateMessage(
          next,
          action.messageId,
          (message) => withReaction(message, action.emoji, (r) => ({ ...r, bot: true })),
        );
        break;
      case MockAction.reactionRemove:
        next = updateMessage(
          next,
          action.messageId,
          (message) =>
            withReaction(
              message,
              action.emoji,
              (r) => action.targetsUser ? { ...r, mine: false } : { ...r, bot: false },
            ),
        );
        break;
    }
  }
  return bounded(next);
}

/** The newest bot message offering `emoji` as a reaction, for the auto-typer to click. */
export function latestOffering(messages: readonly Message[], emoji: string): Message | undefined {
  return messages.findLast((message) =>
    message.author === "bot" && message.reactions.some((r) => sameEmoji(r.emoji, emoji))
  );
}
