import {
  type Guild,
  type Member,
  type Membership,
  type PartialGuild,
  type PoolType,
} from "../gateway/protocol/mod.ts";
import {
  type Backend,
  BackendError,
  type LogsHistory,
  type LogsHistoryArgs,
  type MockBotReply,
  type MockUserAction,
  type PoolAllArgs,
  type PoolRequestArgs,
  type PoolResult,
  type PoolSearchArgs,
} from "../gateway/backend/backend.ts";
import type { DemoDataset } from "./dataset/dataset.ts";
import { GuildState } from "./guild_state.ts";
import { MockDiscord } from "./mock_discord/mock_discord.ts";
import { LogHistory } from "./log_history.ts";
import type { BotChannel } from "./bot_channel.ts";

/**
 * The embedded demo backend: serves the seeded dataset as a shard would,
 * answers the front page's mock, and keeps a bounded log history. Its
 * state changes through `guilds` (the demo traffic mutates it).
 */
export class DemoBackend implements Backend {
  readonly dataset: DemoDataset;
  readonly guilds: ReadonlyMap<string, GuildState>;
  readonly mock: MockDiscord;
  readonly history: LogHistory;
  #botChannel: BotChannel | undefined;

  constructor(
    dataset: DemoDataset,
    options: { mock?: MockDiscord; history?: LogHistory } = {},
  ) {
    this.dataset = dataset;
    this.guilds = new Map(dataset.guilds.map((g) => [g.id, new GuildState(g)]));
    // Anonymous visitors create mock guilds: keep them few and small.
    this.mock = options.mock ?? new MockDiscord({ maxGuilds: 500, maxAutoResponsesPerGuild: 25 });
    this.history = options.history ?? new LogHistory();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  #guild(guildId: string | null): GuildState {
    const guild = guildId === null ? undefined : this.guilds.get(guildId);
    if (guild === undefined) throw new BackendError("not_found", "Unknown Guild");
    return guild;
  }

  isMember(userId: string, guildId: string): Promise<Membership> {
    const guild = this.guilds.get(guildId);
    if (guild === undefined) {
      return Promise.resolve({ member: false, admin: false, permissions: 0 });
    }
    return Promise.resolve(guild.membership(userId));
  }

  #guildsOf(userId: string): GuildState[] {
    return [...this.guilds.values()].filter((g) => g.pools.member.has(userId));
  }

  #partialGuild(guild: GuildState, userId: string): PartialGuild {
    const m = guild.membership(userId);
    return {
      id: guild.id,
      name: guild.name,
      icon: guild.icon,
      has_architus: true,
      architus_admin: m.admin,
      permissions: m.permissions,
      member_count: guild.pools.member.size,
    };
  }

  #fullGuild(guild: GuildState, userId: string): Guild {
    const partial = this.#partialGuild(guild, userId);
    return {
      ...partial,
      owner_id: guild.ownerId,
      owner: guild.ownerId === userId,
      splash: null,
      region: null,
      features: ["COMMUNITY"],
      description: null,
      premium_tier: 0,
      preferred_locale: "en-US",
    };
  }

  usersGuilds(userId: string): Promise<PartialGuild[]> {
    return Promise.resolve(this.#guildsOf(userId).map((g) => this.#partialGuild(g, userId)));
  }

  /**
   * The user's guilds with Architus, then (as the REST API merges in Discord's
   * list) those without it.
   */
  #partialGuildList(userId: string): PartialGuild[] {
    return [
      ...this.#guildsOf(userId).map((g) => this.#partialGuild(g, userId)),
      ...this.dataset.guildsWithoutArchitus(userId).map((g) => ({
        id: g.id,
        name: g.name,
        icon: g.icon,
        has_architus: false,
        architus_admin: false,
        permissions: g.permissions,
        member_count: g.memberCount,
      })),
    ];
  }

  #guildList(userId: string): Guild[] {
    return [
      ...this.#guildsOf(userId).map((g) => this.#fullGuild(g, userId)),
      ...this.dataset.guildsWithoutArchitus(userId).map((g) => ({
        id: g.id,
        name: g.name,
        icon: g.icon,
        splash: null,
        owner_id: g.ownerId,
        owner: g.ownerId === userId,
        region: null,
        features: [],
        member_count: g.memberCount,
        has_architus: false,
        architus_admin: false,
        permissions: g.permissions,
        description: null,
      })),
    ];
  }

  #lookup(type: PoolType, guildId: string | null, userId: string): (id: string) => unknown {
    switch (type) {
      case "user":
        return (id) => this.dataset.users.get(id);
      case "partial_user":
        return (id) => {
          const u = this.dataset.users.get(id);
          return u && {
            id: u.id,
            username: u.username,
            discriminator: Number(u.discriminator),
            avatar: u.avatar ?? null,
          };
        };
      case "guild":
      case "partial_guild":
        return (id) => {
          const g = this.guilds.get(id);
          if (g === undefined || !g.pools.member.has(userId)) return undefined;
          return type === "guild" ? this.#fullGuild(g, userId) : this.#partialGuild(g, userId);
        };
      default: {
        const pool = this.#guild(guildId).pools[type];
        return (id) => pool.get(id);
      }
    }
  }

  poolRequest(args: PoolRequestArgs): Promise<PoolResult> {
    return settle(() => this.#poolRequest(args));
  }

  #poolRequest(args: PoolRequestArgs): Promise<PoolResult> {
    const lookup = this.#lookup(args.type, args.guildId, args.userId);
    const data: unknown[] = [];
    const nonexistent: string[] = [];
    for (const id of args.ids) {
      const entity = lookup(id);
      if (entity === undefined) nonexistent.push(id);
      else data.push(entity);
    }
    return Promise.resolve({ data, nonexistent });
  }

  poolAll(args: PoolAllArgs): Promise<readonly unknown[]> {
    return settle(() => this.#poolAll(args));
  }

  #poolAll(args: PoolAllArgs): readonly unknown[] | Promise<readonly unknown[]> {
    switch (args.type) {
      case "user":
      case "partial_user":
        throw new BackendError("bad_request", "Invalid Request");
      case "guild":
        return Promise.resolve(this.#guildList(args.userId));
      case "partial_guild":
        return Promise.resolve(this.#partialGuildList(args.userId));
      case "member": {
        const members = [...this.#guild(args.guildId).pools.member.values()];
        return Promise.resolve(
          args.online ? members.filter((m) => (m.status ?? "offline") !== "offline") : members,
        );
      }
      default:
        return Promise.resolve([...this.#guild(args.guildId).pools[args.type].values()]);
    }
  }

  poolSearch(args: PoolSearchArgs): Promise<readonly unknown[]> {
    return settle(() => this.#poolSearch(args));
  }

  #poolSearch(args: PoolSearchArgs): Promise<readonly unknown[]> {
    const query = args.query.toLowerCase();
    const found: Member[] = [];
    for (const member of this.#guild(args.guildId).pools.member.values()) {
      if (
        member.name.toLowerCase().startsWith(query) ||
        (member.nick ?? "").toLowerCase().startsWith(query)
      ) {
        found.push(member);
        if (found.length >= args.limit) break;
      }
    }
    return Promise.resolve(found);
  }

  /**
   * Opens the dashboard's bot channel: messages to a real guild's id go to
   * it (development only; without it they are refused).
   */
  openBotChannel(channel: BotChannel): void {
    this.#botChannel = channel;
  }

  mockUserAction(action: MockUserAction): Promise<MockBotReply> {
    const { guildId } = action;
    if (typeof guildId !== "string") return settle(() => this.mock.handle({ ...action, guildId }));
    if (this.#botChannel === undefined) {
      return Promise.reject(new BackendError("unsupported", "the bot channel is closed"));
    }
    return this.#botChannel.handle({ ...action, guildId });
  }

  logsHistory(args: LogsHistoryArgs): Promise<LogsHistory> {
    return settle(() => {
      this.#guild(args.guildId);
      return this.history.query(args);
    });
  }
}

/** Runs `fn`, turning a synchronous throw into a rejection. */
function settle<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
