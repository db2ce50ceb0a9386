import assert from "node:assert/strict";
import { MockAction, MockBotAction } from "../../gateway/protocol/mod.ts";
import {
  BackendError,
  type MockBotReply,
  type MockUserAction,
} from "../../gateway/backend/backend.ts";
import { MockDiscord, type MockDiscordOptions } from "./mock_discord.ts";

/** What the mock Discord tests share: a fake clock, a scripted visitor and reply checks. */

export const MENTION = "<@%_CLIENT_ID_%>";
export const AUTO = ["set", "remove"];
export const POLLS = ["poll", "xpoll", "schedule"];

export type Action = MockBotReply["actions"][number];

/** Every reply must satisfy the wire schema: this is what catches `messageId: null`. */
export function checked(reply: MockBotReply, guildId: number): MockBotReply {
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
export function harness(options: MockDiscordOptions = {}, randoms: number[] = []) {
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
export class Visitor {
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
    const action = {
      action: MockAction.messageSend,
      guildId: this.guildId,
      messageId: this.lastUserMessageId,
      content,
      allowedCommands: this.allowed,
      silent,
    } satisfies MockUserAction;
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
    return this.#reaction(MockAction.reactionAdd, messageId, emoji);
  }

  unreact(messageId: number, emoji: string): Action[] {
    return this.#reaction(MockAction.reactionRemove, messageId, emoji);
  }

  #reaction(action: MockUserAction["action"], messageId: number, emoji: string): Action[] {
    const reply = this.mock.handle({ action, guildId: this.guildId, messageId, emoji });
    return [...checked(reply, this.guildId).actions];
  }
}

export function sent(actions: readonly Action[]): { messageId: number; content: string } {
  const sends = actions.filter((a) => a.action === MockAction.messageSend);
  assert.equal(sends.length, 1, JSON.stringify(actions));
  const [only] = sends;
  assert.ok(only !== undefined && only.action === MockAction.messageSend);
  return { messageId: only.messageId, content: only.content };
}

export function edits(actions: readonly Action[]): string[] {
  return actions.flatMap((a) => a.action === MockAction.messageEdit ? [a.content] : []);
}

export function botReactions(actions: readonly Action[]): Array<[number, string]> {
  return actions.flatMap((a) =>
    a.action === MockAction.reactionAdd ? [[a.messageId, a.emoji] as [number, string]] : []
  );
}

export function assertBadRequest(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BackendError, `not a BackendError: ${String(error)}`);
    assert.equal(error.kind, "bad_request");
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  });
}
