import { replyList, replyRecord } from "./_reply_shape.ts";
import type { Bus } from "../bus/mod.ts";
import {
  type Membership,
  MockBotAction,
  type PartialGuild,
  type PoolType,
} from "../protocol/mod.ts";
import { ArchitusRpc, intId } from "./_architus_rpc.ts";
import { BY_ID, clientEntity, discordOnlyGuild, SHARD_POOL } from "./_architus_entities.ts";
import { DiscordGuilds } from "./_discord_guilds.ts";
import {
  type Backend,
  BackendError,
  type LogsHistory,
  type MockBotReply,
  type MockUserAction,
  type PoolAllArgs,
  type PoolRequestArgs,
  type PoolResult,
  type PoolSearchArgs,
} from "./backend.ts";
import type { CallObserver } from "./backend_rpc.ts";

export interface ArchitusBackendOptions {
  readonly shards: number;
  /** The deadline of every shard and Discord call. */
  readonly timeoutMs: number;
  /** Discord's REST API base, for the guild list (`DISCORD_API_BASE`). */
  readonly discordApiBase: string;
  readonly observe?: CallObserver;
}

/** The kwargs `handle_mock_user_action(**kwargs)` knows; any other key makes it raise. */
const MOCK_KWARGS = [
  "action",
  "messageId",
  "guildId",
  "content",
  "allowedCommands",
  "emoji",
  "silent",
] as const;

type Entity = Record<string, unknown>;

const unsupported = (what: string) =>
  new BackendError("unsupported", `${what} is not available with the original shards`);

/**
 * A `Backend` on the running Architus shards (`BACKEND_PROTOCOL=architus`),
 * calling their methods with their real signatures (`shard/src/api/api.py`):
 * `pool_request(user_id, guild_id, pool_type, entity_ids, fetch)` in two
 * phases (the shard's cache, then a fetch for what it lacked),
 * `pool_all_request(guild_id, pool_type)`, `users_guilds(user_id)` on every
 * shard merged with Discord's `/users/@me/guilds`, `is_member(user_id,
 * guild_id)` and `handle_mock_user_action(**kwargs)`. Names and shapes are
 * translated here only (`_architus_entities.ts`), so clients keep today's
 * protocol.
 *
 * What the shards cannot do has a documented answer instead of a call that
 * would time out: member search filters the member pool; channels, roles
 * and auto responses by id are picked from their whole pool; setting
 * values, online members and log history are `unsupported` (the client
 * sees `not_available`). Authorisation stays with the gateway's handlers,
 * which ask `is_member` before any guild pool. Every call has a deadline.
 */
export class ArchitusBackend implements Backend {
  readonly #rpc: ArchitusRpc;
  readonly #discord: DiscordGuilds;

  constructor(bus: Bus, options: ArchitusBackendOptions) {
    this.#rpc = new ArchitusRpc(bus, options);
    this.#discord = new DiscordGuilds({
      base: options.discordApiBase,
      timeoutMs: options.timeoutMs,
    });
  }

  /** The shard queues calls are spread over. */
  get shards(): number {
    return this.#rpc.shards;
  }

  /** Pings one shard's queue (`shard_rpc_<n>`), for health probes. */
  async pingShard(shard: number, signal?: AbortSignal): Promise<void> {
    await this.#rpc.call(`shard_rpc_${shard}`, "ping", [], {}, { signal });
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.pingShard(0, signal);
  }

  async isMember(userId: string, guildId: string, signal?: AbortSignal): Promise<Membership> {
    const r = replyRecord(
      await this.#rpc.call(this.#rpc.queueOf(guildId), "is_member", [intId(userId), guildId], {}, {
        signal,
      }),
      "is_member",
    );
    return {
      member: r.member === true,
      admin: r.admin === true,
      permissions: typeof r.permissions === "number" ? r.permissions : 0,
    };
  }

  async usersGuilds(userId: string, signal?: AbortSignal): Promise<PartialGuild[]> {
    const guilds = await this.#guildList(userId, undefined, "partial_guild", signal);
    return guilds as unknown as PartialGuild[];
  }

  async poolRequest(args: PoolRequestArgs, signal?: AbortSignal): Promise<PoolResult> {
    const { type, ids } = args;
    if (type === "setting_value") throw unsupported("the setting value pool");
    if (!BY_ID.has(type)) {
      // The shard finds only members, users, emoji and guilds by id: pick from the whole pool.
      const all = await this.poolAll({ ...args, online: false }, signal);
      return picked(all as Entity[], ids);
    }
    if (type === "guild" || type === "partial_guild") {
      // Each guild lives on its own shard: ask every shard for its guilds at once.
      const byShard = new Map<string, string[]>();
      for (const id of ids) {
        const queue = this.#rpc.queueOf(id);
        byShard.set(queue, [...byShard.get(queue) ?? [], id]);
      }
      const parts = await Promise.all(
        [...byShard].map(([queue, some]) =>
          this.#twoPhase(queue, { ...args, guildId: null, ids: some }, signal)
        ),
      );
      return picked(parts.flat(), ids);
    }
    const guildId = type === "user" || type === "partial_user" ? null : args.guildId;
    const queue = this.#rpc.queueOf(guildId);
    return picked(await this.#twoPhase(queue, { ...args, guildId }, signal), ids);
  }

  /** The original two phases: the shard's cache, then a fetch of what it did not have. */
  async #twoPhase(queue: string, args: PoolRequestArgs, signal?: AbortSignal): Promise<Entity[]> {
    const ask = async (ids: readonly string[], fetch: boolean) => {
      const r = replyRecord(
        await this.#rpc.call(
          queue,
          "pool_request",
          [
            intId(args.userId),
            args.guildId,
            SHARD_POOL[args.type],
            ids,
            fetch,
          ],
          {},
          { signal, exactIds: true },
        ),
        "pool_request",
      );
      return replyList(r.data ?? [], "pool_request")
        .map((raw) => clientEntity(args.type, raw, args.userId))
        .filter((e): e is Entity => e !== null);
    };
    const cached = await ask(args.ids, false);
    const found = new Set(cached.map((e) => e.id));
    const missing = args.ids.filter((id) => !found.has(id));
    return missing.length === 0 ? cached : [...cached, ...await ask(missing, true)];
  }

  async poolAll(args: PoolAllArgs, signal?: AbortSignal): Promise<readonly unknown[]> {
    const { type, guildId } = args;
    if (type === "guild" || type === "partial_guild") {
      return await this.#guildList(args.userId, args.discordAccessToken, type, signal);
    }
    if (type === "user" || type === "partial_user") {
      throw new BackendError("bad_request", "the user pool cannot be listed whole");
    }
    if (type === "setting_value") throw unsupported("the setting value pool");
    if (args.online) throw unsupported("online members");
    if (guildId === null) throw new BackendError("bad_request", `the ${type} pool needs a guild`);
    const r = replyRecord(
      await this.#rpc.call(
        this.#rpc.queueOf(guildId),
        "pool_all_request",
        [guildId, SHARD_POOL[type]],
        {},
        { signal, exactIds: true },
      ),
      "pool_all_request",
    );
    return replyList(r.data ?? [], "pool_all_request")
      .map((raw) => clientEntity(type, raw, args.userId))
      .filter((e) => e !== null);
  }

  /**
   * `users_guilds(user_id)` on every shard and, meanwhile, Discord's list of
   * the user's guilds; a Discord guild no shard knows is one without
   * Architus. Any shard or Discord failing fails the list: a partial one
   * would show guilds with Architus as guilds without it.
   */
  async #guildList(
    userId: string,
    accessToken: string | undefined,
    type: PoolType,
    signal?: AbortSignal,
  ): Promise<Entity[]> {
    const [perShard, discord] = await Promise.all([
      Promise.all(
        Array.from(
          { length: this.shards },
          (_, n) =>
            this.#rpc.call(`shard_rpc_${n}`, "users_guilds", [intId(userId)], {}, {
              signal,
              exactIds: true,
            }),
        ),
      ),
      accessToken === undefined ? [] : this.#discord.userGuilds(accessToken, signal),
    ]);
    const out: Entity[] = [];
    const seen = new Set<unknown>();
    for (const raw of perShard.flatMap((r) => replyList(r, "users_guilds"))) {
      const guild = clientEntity(type, raw, userId);
      if (guild === null || seen.has(guild.id)) continue;
      seen.add(guild.id);
      out.push(guild);
    }
    for (const raw of discord) {
      const only = discordOnlyGuild(raw);
      const guild = only === null || seen.has(only.id) ? null : clientEntity(type, only, userId);
      if (guild !== null) out.push(guild);
    }
    return out;
  }

  /** Member search, which the shards lack: a name or nick prefix over the member pool. */
  async poolSearch(args: PoolSearchArgs, signal?: AbortSignal): Promise<readonly unknown[]> {
    const members = await this.poolAll(
      { userId: "0", guildId: args.guildId, type: "member" },
      signal,
    ) as Entity[];
    const q = args.query.toLowerCase();
    const starts = (v: unknown) => typeof v === "string" && v.toLowerCase().startsWith(q);
    return members.filter((m) => starts(m.name) || starts(m.nick)).slice(0, args.limit);
  }

  async mockUserAction(action: MockUserAction, signal?: AbortSignal): Promise<MockBotReply> {
    if (typeof action.guildId === "string") throw unsupported("the bot channel of a real guild");
    const kwargs: Record<string, unknown> = {};
    for (const key of MOCK_KWARGS) if (action[key] !== undefined) kwargs[key] = action[key];
    const r = replyRecord(
      await this.#rpc.call(
        this.#rpc.queueOf(String(action.guildId)),
        "handle_mock_user_action",
        [],
        kwargs,
        { signal },
      ),
      "handle_mock_user_action",
    );
    // The shard answers a silent or empty send with `messageId: null`, which clients drop
    // whole: such actions are left out instead.
    const actions = replyList(r.actions ?? [], "handle_mock_user_action")
      .map((a) => MockBotAction.safeParse(a))
      .flatMap((p) => p.success ? [p.data] : []);
    return { guildId: typeof r.guildId === "number" ? r.guildId : action.guildId, actions };
  }

  logsHistory(): Promise<LogsHistory> {
    return Promise.reject(unsupported("log history"));
  }
}

/** The entities of `ids`, in the order found; ids without one are nonexistent. */
function picked(entities: readonly Entity[], ids: readonly string[]): PoolResult {
  const wanted = new Set(ids);
  const data = entities.filter((e) => wanted.has(e.id as string));
  const found = new Set(data.map((e) => e.id));
  return { data, nonexistent: ids.filter((id) => !found.has(id)) };
}
