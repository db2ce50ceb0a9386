import {
  ALL_ARCHITUS_PERMISSIONS,
  ArchitusPermission,
  type AutoResponse,
  DEFAULT_ARCHITUS_PERMISSIONS,
  HoarFrostGenerator,
  MockAction,
  type MockBotAction,
} from "../gateway/protocol/mod.ts";
import { BackendError, type MockBotReply } from "../gateway/backend/backend.ts";
import { PUNCTUATION, responseTokens, triggerRegex } from "./dataset/_auto_response_grammar.ts";
import { MAX_RESPONSE_CHARS, MAX_TRIGGER_CHARS } from "./mock_discord/_mock_auto_responses.ts";
import { clip, MAX_CONTENT_CHARS, squash } from "./mock_discord/_mock_text.ts";
import type { GuildState } from "./guild_state.ts";

/** Where a change to a guild's auto responses goes: its state, then the bus as `log_pool`. */
export interface AutoResponseChanges {
  putAutoResponse(guildId: string, entity: AutoResponse, isNew: boolean): Promise<void>;
  removeAutoResponse(guildId: string, id: string): Promise<void>;
}

/** A message typed into a real demo guild's bot channel by a signed-in member. */
export interface BotChannelMessage {
  readonly guildId: string;
  readonly userId?: string | undefined;
  readonly action: number;
  readonly messageId: number;
  readonly content?: string | undefined;
}

/** Auto responses one guild may hold; `!set` beyond it is refused in the channel. */
export const MAX_GUILD_AUTO_RESPONSES = 300;
/** A message fires at most this many auto responses. */
const MAX_REPLIES = 3;

const HELP = [
  "**Commands in this channel:**",
  "`!set <trigger>::<response>` — respond to <trigger> with <response>",
  "`!remove <trigger>` — stop responding to <trigger>",
].join("\n");

/**
 * The dashboard's bot channel (development only): `!set`, `!remove` and
 * `!help` typed into a real demo guild, answered as the bot would, with the
 * guild's auto-response pool changed as the bot changes it. The change is
 * the backend's: it is applied here and published as `log_pool`, so every
 * tab watching the guild, on every node, sees it. Any other message fires
 * the guild's auto responses and counts their use.
 */
export class BotChannel {
  readonly #guilds: ReadonlyMap<string, GuildState>;
  readonly #changes: AutoResponseChanges;
  readonly #ids = new HoarFrostGenerator({ node: 3 });

  constructor(guilds: ReadonlyMap<string, GuildState>, changes: AutoResponseChanges) {
    this.#guilds = guilds;
    this.#changes = changes;
  }

  async handle(input: BotChannelMessage): Promise<MockBotReply> {
    const guild = this.#guilds.get(input.guildId);
    if (guild === undefined) throw new BackendError("not_found", "Unknown Guild");
    if (input.action !== MockAction.messageSend) {
      throw new BackendError("bad_request", "the bot channel takes messages only");
    }
    if (input.userId === undefined || !guild.pools.member.has(input.userId)) {
      throw new BackendError("bad_request", "only the guild's members can use its bot channel");
    }
    const content = clip(input.content ?? "", MAX_CONTENT_CHARS).trim();
    const replies = await this.#answer(guild, input.userId, content);
    let messageId = input.messageId + 1;
    const actions: MockBotAction[] = replies.filter((text) => text !== "").map((text) => ({
      action: MockAction.messageSend,
      messageId: messageId++,
      content: clip(text, MAX_CONTENT_CHARS),
    }));
    return { guildId: guild.id, actions };
  }

  #answer(guild: GuildState, userId: string, content: string): Promise<string[]> | string[] {
    const command = /^!(\S+)(?:\s+([\s\S]*))?$/.exec(content);
    switch (command?.[1]?.toLowerCase()) {
      case "help":
        return [HELP];
      case "set":
        return this.#set(guild, userId, command?.[2] ?? "").then((reply) => [reply]);
      case "remove":
        return this.#remove(guild, userId, command?.[2] ?? "").then((reply) => [reply]);
      default:
        return this.#fire(guild, content);
    }
  }

  /** The member's Architus bits: all of them for an Architus admin. */
  #permissions(guild: GuildState, userId: string): number {
    const membership = guild.membership(userId);
    if (membership.admin) return ALL_ARCHITUS_PERMISSIONS;
    return membership.architus_permissions ?? DEFAULT_ARCHITUS_PERMISSIONS;
  }

  #find(guild: GuildState, trigger: string): AutoResponse | undefined {
    const key = squash(trigger).toLowerCase();
    for (const entity of guild.pools.auto_response.values()) {
      if (entity.trigger.toLowerCase() === key) return entity;
    }
    return undefined;
  }

  async #set(guild: GuildState, userId: string, argument: string): Promise<string> {
    const split = argument.indexOf("::");
    const trigger = split < 0 ? "" : squash(argument.slice(0, split));
    const response = split < 0 ? "" : argument.slice(split + 2).trim();
    if (trigger === "" || response === "") {
      return "I couldn't read that. Use `!set <trigger>::<response>`, for example `!set hi::hey there!`";
    }
    if (trigger.length > MAX_TRIGGER_CHARS) {
      return `That trigger is too long: keep it to ${MAX_TRIGGER_CHARS} characters.`;
    }
    if (response.length > MAX_RESPONSE_CHARS) {
      return `That response is too long: keep it to ${MAX_RESPONSE_CHARS} characters.`;
    }
    const bits = this.#permissions(guild, userId);
    if ((bits & ArchitusPermission.ADD_AUTO_RESPONSE) === 0) {
      return "You don't have permission to add auto responses here.";
    }
    const existing = this.#find(guild, trigger);
    if (
      existing !== undefined && existing.author_id !== userId &&
      (bits & ArchitusPermission.EDIT_ANY_AUTO_RESPONSE) === 0
    ) {
      return `"${existing.trigger}" belongs to someone else, and you can't edit theirs.`;
    }
    if (existing === undefined && guild.pools.auto_response.size >= MAX_GUILD_AUTO_RESPONSES) {
      return `This server already has ${MAX_GUILD_AUTO_RESPONSES} auto responses. Remove one first.`;
    }
    const spec = { trigger, response, mode: "naive" as const };
    const entity: AutoResponse = {
      id: existing?.id ?? this.#ids.next(),
      trigger,
      response,
      author_id: userId,
      guild_id: guild.id,
      trigger_regex: triggerRegex(spec),
      trigger_punctuation: PUNCTUATION,
      response_tokens: responseTokens(response),
      count: existing?.count ?? 0,
      mode: "naive",
    };
    await this.#changes.putAutoResponse(guild.id, entity, existing === undefined);
    return existing === undefined
      ? `Sure thing — I'll respond to "${trigger}" with "${response}".`
      : `Updated — I'll now respond to "${trigger}" with "${response}" instead.`;
  }

  async #remove(guild: GuildState, userId: string, argument: string): Promise<string> {
    const trigger = squash(argument);
    if (trigger === "") return "Which trigger should I remove? Use `!remove <trigger>`.";
    const existing = this.#find(guild, trigger);
    if (existing === undefined) return `There's no auto response for "${clip(trigger, 100)}".`;
    const bits = this.#permissions(guild, userId);
    if (
      existing.author_id !== userId && (bits & ArchitusPermission.DELETE_ANY_AUTO_RESPONSE) === 0
    ) {
      return `"${existing.trigger}" belongs to someone else, and you can't remove theirs.`;
    }
    await this.#changes.removeAutoResponse(guild.id, existing.id);
    return `Done — I won't respond to "${existing.trigger}" anymore.`;
  }

  /** The auto responses the message fires, each counted once more. */
  async #fire(guild: GuildState, content: string): Promise<string[]> {
    if (content === "") return [];
    const fired: AutoResponse[] = [];
    for (const entity of guild.pools.auto_response.values()) {
      if (fired.length >= MAX_REPLIES) break;
      if (matches(entity, content)) fired.push(entity);
    }
    for (const entity of fired) {
      await this.#changes.putAutoResponse(guild.id, { ...entity, count: entity.count + 1 }, false);
    }
    return fired.map((entity) => entity.response);
  }
}

function matches(entity: AutoResponse, content: string): boolean {
  try {
    return new RegExp(entity.trigger_regex, "iu").test(content);
  } catch {
    return false;
  }
}
