import { AutoResponses } from "./_mock_auto_responses.ts";
import type { Poll } from "./_mock_poll.ts";
import type { Schedule } from "./_mock_schedule.ts";
import { setNewest } from "./_recency.ts";

/**
 * Polls and events are the only remembered messages that carry text, so a
 * guild keeps at most this many of them (the oldest is forgotten first). This
 * keeps a guild's memory small even when the message bound is large.
 */
const MAX_INTERACTIVE_PER_GUILD = 20;
/** Discord allows 20 distinct reactions on a message; so does the demo. */
export const MAX_REACTIONS_PER_MESSAGE = 20;

/**
 * A message the mock guild remembers so it can be reacted to. User messages
 * keep no text at all: nothing reads it after the message is handled.
 */
export interface StoredMessage {
  readonly id: number;
  /** The visitor's reactions: `emojiKey` → the emoji exactly as the visitor sent it. */
  readonly reactions: Map<string, string>;
  readonly interactive: Poll | Schedule | null;
}

/** One mock conversation: its messages, auto responses and bot message ids. */
export class MockGuild {
  readonly autoResponses: AutoResponses = new AutoResponses();
  readonly #messages = new Map<number, StoredMessage>();
  readonly #maxMessages: number;
  #nextBotId: number;
  #lastUsed: number;

  /** `firstBotId` must be odd; bot ids count up from it in steps of two. */
  constructor(maxMessages: number, firstBotId: number, now: number) {
    this.#maxMessages = maxMessages;
    this.#nextBotId = firstBotId;
    this.#lastUsed = now;
  }

  get lastUsed(): number {
    return this.#lastUsed;
  }

  touch(now: number): void {
    this.#lastUsed = now;
  }

  get messageCount(): number {
    return this.#messages.size;
  }

  /** A fresh bot message id: odd, and larger than every earlier one. */
  allocateBotId(): number {
    const id = this.#nextBotId;
    this.#nextBotId += 2;
    return id;
  }

  message(id: number): StoredMessage | undefined {
    return this.#messages.get(id);
  }

  /**
   * Remembers a message, replacing one with the same id (a client that reuses
   * ids starts over), and forgets the oldest beyond the bounds.
   */
  remember(id: number, interactive: Poll | Schedule | null): StoredMessage {
    const stored: StoredMessage = { id, reactions: new Map(), interactive };
    setNewest(this.#messages, id, stored, this.#maxMessages);
    if (interactive !== null) this.#forgetOldInteractive();
    return stored;
  }

  #forgetOldInteractive(): void {
    let count = 0;
    for (const stored of this.#messages.values()) if (stored.interactive !== null) count++;
    for (const [id, stored] of this.#messages) {
      if (count <= MAX_INTERACTIVE_PER_GUILD) break;
      if (stored.interactive === null) continue;
      this.#messages.delete(id);
      count--;
    }
  }
}
