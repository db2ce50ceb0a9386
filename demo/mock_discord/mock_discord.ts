import { MockAction, type MockBotAction } from "../../gateway/protocol/mod.ts";
import {
  BackendError,
  type MockBotReply,
  type MockUserAction,
} from "../../gateway/backend/backend.ts";
import {
  MAX_RESPONSE_CHARS,
  MAX_TRIGGER_CHARS,
  parseSet,
  triggerKey,
} from "./_mock_auto_responses.ts";
import {
  type CommandName,
  commandUsage,
  enabledCommands,
  helpText,
  parseCommand,
} from "./_mock_commands.ts";
import { MAX_REACTIONS_PER_MESSAGE, MockGuild, type StoredMessage } from "./_mock_guild.ts";
import { parsePoll, type Poll, POLL_EMOJIS, pollOptionOf, renderPoll } from "./_mock_poll.ts";
import { parseSchedule, renderSchedule, RSVP, rsvpOf, type Schedule } from "./_mock_schedule.ts";
import { clip, emojiKey, MAX_CONTENT_CHARS, PREFIX, quoteChoices, squash } from "./_mock_text.ts";
import { setNewest } from "./_recency.ts";

export interface MockDiscordOptions {
  /** Mock guilds kept at once; the least recently used is dropped beyond it. Default 1000. */
  maxGuilds?: number;
  /** Messages remembered per mock guild (oldest dropped first). Default 200. */
  maxMessagesPerGuild?: number;
  /** Auto responses per mock guild. Default 50. */
  maxAutoResponsesPerGuild?: number;
  /** A mock guild unused for longer than this is dropped. Default 10 minutes. */
  idleMs?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
  /** Uniform in [0, 1), for tests. */
  random?: () => number;
}

/** A visitor's action in a mock guild (a number; real guilds are the bot channel's). */
type MockGuildAction = MockUserAction & { readonly guildId: number };

/** Mock guild ids are the front end's random conversation ids, all below this. */
const GUILD_ID_LIMIT = 10_000_000;
const MAX_EMOJI_CHARS = 64;

/** A message the bot is about to send; polls and events carry their state. */
interface Outgoing {
  readonly content: string;
  readonly interactive?: Poll | Schedule;
}

function badRequest(message: string): never {
  throw new BackendError("bad_request", message);
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 1) {
    throw new RangeError(`MockDiscord: ${name} must be a positive integer`);
  }
  return chosen;
}

/** The message as it reads now, or null for one that never changes. */
function render(message: StoredMessage): string | null {
  const interactive = message.interactive;
  if (interactive === null) return null;
  const keys = new Set(message.reactions.keys());
  return interactive.kind === "poll"
    ? renderPoll(interactive, keys)
    : renderSchedule(interactive, keys);
}

/**
 * The emoji keys that exclude each other on this message (an exclusive poll's
 * options, or an event's RSVPs), when `key` is one of them.
 */
function exclusiveGroup(message: StoredMessage, key: string): string[] {
  const interactive = message.interactive;
  if (interactive === null) return [];
  if (interactive.kind === "poll") {
    if (!interactive.exclusive || pollOptionOf(interactive, key) < 0) return [];
    return POLL_EMOJIS.slice(0, interactive.options.length).map(emojiKey);
  }
  return rsvpOf(key) < 0 ? [] : RSVP.map(({ emoji }) => emojiKey(emoji));
}

/**
 * The bot side of the front-page demo: anonymous visitors type into a mock
 * Discord channel and this answers as the bot would. State lives in memory per
 * mock guild, bounded in count, size and age, and is never persisted.
 */
export class MockDiscord {
  readonly #guilds = new Map<number, MockGuild>();
  readonly #maxGuilds: number;
  readonly #maxMessages: number;
  readonly #maxAutoResponses: number;
  readonly #idleMs: number;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(options: MockDiscordOptions = {}) {
    this.#maxGuilds = positiveInteger("maxGuilds", options.maxGuilds, 1000);
    this.#maxMessages = positiveInteger("maxMessagesPerGuild", options.maxMessagesPerGuild, 200);
    this.#maxAutoResponses = positiveInteger(
      "maxAutoResponsesPerGuild",
      options.maxAutoResponsesPerGuild,
      50,
    );
    this.#idleMs = positiveInteger("idleMs", options.idleMs, 10 * 60_000);
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** Answers one visitor action. Throws `BackendError` `bad_request` for malformed input. */
  handle(input: MockGuildAction): MockBotReply {
    const { action, guildId, messageId } = input;
    if (
      action !== MockAction.messageSend && action !== MockAction.reactionAdd &&
      action !== MockAction.reactionRemove
    ) {
      badRequest(`unsupported mock action ${String(action)}`);
    }
    if (!Number.isInteger(guildId) || guildId < 0 || guildId >= GUILD_ID_LIMIT) {
      badRequest(`mock guild id must be an integer from 0 to ${GUILD_ID_LIMIT - 1}`);
    }
    if (!Number.isSafeInteger(messageId) || messageId < 0) {
      badRequest("message id must be a non-negative integer");
    }
    const now = this.#now();
    this.#dropIdleHead(now);
    if (action === MockAction.messageSend) return { guildId, actions: this.#send(input, now) };
    return { guildId, actions: this.#react(input, now) };
  }

  /** Totals across mock guilds, for metrics and tests. */
  stats(): { guilds: number; messages: number; autoResponses: number } {
    let messages = 0;
    let autoResponses = 0;
    for (const guild of this.#guilds.values()) {
      messages += guild.messageCount;
      autoResponses += guild.autoResponses.size;
    }
    return { guilds: this.#guilds.size, messages, autoResponses };
  }

  /** Drops every mock guild idle for longer than `idleMs`. */
  sweep(): void {
    const now = this.#now();
    for (const [id, guild] of this.#guilds) {
      if (this.#isIdle(guild, now)) this.#guilds.delete(id);
    }
  }

  #isIdle(guild: MockGuild, now: number): boolean {
    return now - guild.lastUsed > this.#idleMs;
  }

  /**
   * The map is kept in least-recently-used order, so idle guilds sit at its
   * head: dropping from there is cheap enough to do on every call.
   */
  #dropIdleHead(now: number): void {
    for (const [id, guild] of this.#guilds) {
      if (!this.#isIdle(guild, now)) break;
      this.#guilds.delete(id);
    }
  }

  /** The mock guild if it is still live (an idle one is dropped on sight). */
  #find(guildId: number, now: number): MockGuild | undefined {
    const guild = this.#guilds.get(guildId);
    if (guild === undefined || !this.#isIdle(guild, now)) return guild;
    this.#guilds.delete(guildId);
    return undefined;
  }

  /** The live mock guild or a new one, moved to the most-recently-used end. */
  #use(guildId: number, now: number, found = this.#find(guildId, now)): MockGuild {
    // Starting from the clock keeps a recreated guild's ids above the ones an
    // open page may still show from before the guild was dropped: that would
    // take more bot messages than milliseconds passed.
    const clock = Number.isFinite(now) ? Math.max(0, Math.floor(now)) % 2 ** 50 : 0;
    const guild = found ?? new MockGuild(this.#maxMessages, 2 * clock + 1, now);
    guild.touch(now);
    setNewest(this.#guilds, guildId, guild, this.#maxGuilds);
    return guild;
  }

  #send(input: MockGuildAction, now: number): MockBotAction[] {
    if (input.messageId % 2 !== 0) badRequest("user message ids are even");
    if (input.content !== undefined && typeof input.content !== "string") {
      badRequest("content must be a string");
    }
    const allowed = input.allowedCommands ?? [];
    if (!Array.isArray(allowed)) badRequest("allowedCommands must be a list");
    const silent = input.silent === true;
    const content = clip(input.content ?? "", MAX_CONTENT_CHARS);
    const guild = this.#use(input.guildId, now);
    const enabled = enabledCommands(allowed.filter((name) => typeof name === "string"));
    const command = parseCommand(content, enabled);
    if (command === null) {
      // Silent lines are invisible setup; an ordinary one has nothing else to do.
      if (silent) return [];
      guild.remember(input.messageId, null);
      return this.#post(guild, this.#autoRespond(guild, content));
    }
    // Commands run even when silent: the demos set up their state with silent
    // `!set`/`!remove` lines. Only the visible output is withheld.
    const outgoing = this.#command(guild, command.name, command.argument, enabled);
    if (silent) return [];
    guild.remember(input.messageId, null);
    return this.#post(guild, outgoing);
  }

  /** Sends the messages, remembering each so it can be reacted to. */
  #post(guild: MockGuild, outgoing: readonly Outgoing[]): MockBotAction[] {
    const actions: MockBotAction[] = [];
    for (const { content, interactive } of outgoing) {
      const text = clip(content, MAX_CONTENT_CHARS);
      if (text === "") continue;
      const messageId = guild.allocateBotId();
      guild.remember(messageId, interactive ?? null);
      actions.push({ action: MockAction.messageSend, messageId, content: text });
      if (interactive === undefined) continue;
      const emojis = interactive.kind === "poll"
        ? POLL_EMOJIS.slice(0, interactive.options.length)
        : RSVP.map(({ emoji }) => emoji);
      for (const emoji of emojis) {
        actions.push({ action: MockAction.reactionAdd, messageId, emoji });
      }
    }
    return actions;
  }

  #autoRespond(guild: MockGuild, content: string): Outgoing[] {
    return guild.autoResponses.match(content).map(({ responses }) => {
      const pick = Math.min(Math.floor(this.#random() * responses.length), responses.length - 1);
      return { content: responses[Math.max(0, pick)] ?? "" };
    });
  }

  #command(
    guild: MockGuild,
    name: CommandName,
    argument: string,
    enabled: ReadonlySet<CommandName>,
  ): Outgoing[] {
    switch (name) {
      case "help":
        return [{ content: helpText(argument, enabled) }];
      case "set":
        return [{ content: this.#set(guild, argument, enabled) }];
      case "remove":
        return [{ content: this.#remove(guild, argument) }];
      case "poll":
      case "xpoll": {
        const poll = parsePoll(argument, name === "xpoll");
        if (poll === null) {
          return [{ content: `I couldn't read that poll.\n${commandUsage(name)}` }];
        }
        return [{ content: renderPoll(poll, new Set()), interactive: poll }];
      }
      case "schedule": {
        const schedule = parseSchedule(argument);
        if (schedule === null) {
          return [{ content: `What should I schedule?\n${commandUsage(name)}` }];
        }
        return [{ content: renderSchedule(schedule, new Set()), interactive: schedule }];
      }
    }
  }

  #set(guild: MockGuild, argument: string, enabled: ReadonlySet<CommandName>): string {
    const parsed = parseSet(argument);
    if (!parsed.ok) {
      switch (parsed.reason) {
        case "syntax":
          return `I couldn't read that.\n${commandUsage("set")}`;
        case "trigger_too_long":
          return `That trigger is too long: keep it to ${MAX_TRIGGER_CHARS} characters.`;
        case "response_too_long":
          return `That response is too long: keep it to ${MAX_RESPONSE_CHARS} characters.`;
      }
    }
    const { trigger, responses } = parsed;
    const replacing = guild.autoResponses.has(trigger);
    if (!replacing && guild.autoResponses.size >= this.#maxAutoResponses) {
      const hint = enabled.has("remove")
        ? ` Remove one with \`${PREFIX}remove <trigger>\` first.`
        : "";
      return `Sorry, this server already has the most auto responses it can have (${this.#maxAutoResponses}).${hint}`;
    }
    guild.autoResponses.set(trigger, responses);
    const what = responses.length === 1
      ? quoteChoices(responses)
      : `${quoteChoices(responses)} (picked at random)`;
    return replacing
      ? `Updated — I'll now respond to "${trigger}" with ${what} instead.`
      : `Sure thing — I'll respond to "${trigger}" with ${what}.`;
  }

  #remove(guild: MockGuild, argument: string): string {
    const trigger = clip(squash(argument), MAX_TRIGGER_CHARS + 1);
    if (trigger === "") return `Which trigger should I remove?\n${commandUsage("remove")}`;
    return guild.autoResponses.remove(triggerKey(trigger))
      ? `Done — I won't respond to "${trigger}" anymore.`
      : `There's no auto response for "${trigger}".`;
  }

  #react(input: MockGuildAction, now: number): MockBotAction[] {
    const emoji = input.emoji;
    if (typeof emoji !== "string" || emoji === "" || emoji.length > MAX_EMOJI_CHARS) {
      badRequest("a reaction needs an emoji of 1 to 64 characters");
    }
    const found = this.#find(input.guildId, now);
    const message = found?.message(input.messageId);
    if (found === undefined || message === undefined) badRequest("unknown message");
    this.#use(input.guildId, now, found);
    const key = emojiKey(emoji);
    const before = render(message);
    const actions: MockBotAction[] = [];
    if (input.action === MockAction.reactionAdd) {
      if (message.reactions.has(key)) return [];
      for (const other of exclusiveGroup(message, key)) {
        const raw = message.reactions.get(other);
        if (other === key || raw === undefined) continue;
        // The visitor's old vote goes; tell the UI so its own reaction clears.
        message.reactions.delete(other);
        actions.push({
          action: MockAction.reactionRemove,
          messageId: message.id,
          emoji: raw,
          targetsUser: true,
        });
      }
      // Past Discord's distinct-reaction limit the reaction is simply not recorded.
      if (message.reactions.size < MAX_REACTIONS_PER_MESSAGE) message.reactions.set(key, emoji);
    } else if (!message.reactions.delete(key)) {
      return [];
    }
    const after = render(message);
    if (after !== null && after !== "" && after !== before) {
      actions.push({ action: MockAction.messageEdit, messageId: message.id, content: after });
    }
    return actions;
  }
}
