import type { Bus, Subscription } from "../gateway/bus/mod.ts";
import {
  GUILDS,
  type ShardGuild,
  type ShardMember,
  SUPER_ADMIN,
  USERS,
} from "./architus_shard_data.ts";

/** A JSON integer as Python reads it: exact, whatever its size. */
class PyInt {
  constructor(readonly text: string) {}
}

/** A Python exception: the shard answers `({"message": "'<exc>'"}, 500)`. */
class PyError extends Error {}

/** A method the shard does not answer at all (its RPC server crashes, or the lookup raises). */
class NoReply extends Error {}

type Reply = { sc: number; resp: unknown };
type Params = ReadonlyArray<readonly [name: string, fallback?: unknown]>;

const REQUIRED = Symbol("required");
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** Python's argument binding: positional, then keywords; unknown or missing ones raise. */
function bind(name: string, params: Params, args: unknown[], kwargs: Record<string, unknown>) {
  if (args.length > params.length) {
    throw new PyError(
      `${name}() takes ${params.length} positional arguments but ${args.length} were given`,
    );
  }
  const out: Record<string, unknown> = {};
  params.forEach(([p, fallback = REQUIRED], i) => (out[p] = i < args.length ? args[i] : fallback));
  for (const [k, v] of Object.entries(kwargs)) {
    const index = params.findIndex(([p]) => p === k);
    if (index < 0) throw new PyError(`${name}() got an unexpected keyword argument '${k}'`);
    if (index < args.length) throw new PyError(`${name}() got multiple values for argument '${k}'`);
    out[k] = v;
  }
  const missing = params.find(([p]) => out[p] === REQUIRED);
  if (missing) {
    throw new PyError(`${name}() missing 1 required positional argument: '${missing[0]}'`);
  }
  return out;
}

/** `int(v)`, as the shard's `@fetch_guild` and lookups do. */
function int(v: unknown): string {
  if (v instanceof PyInt) return v.text;
  if (typeof v === "string" && /^[0-9]+$/.test(v)) return BigInt(v).toString();
  if (v === null) {
    throw new PyError(
      "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    );
  }
  throw new PyError(`invalid literal for int() with base 10: ${JSON.stringify(v)}`);
}

/** A user id as the shard uses it (`guild.get_member(user_id)`): only an int finds anyone. */
const userIdOf = (v: unknown): string | null => v instanceof PyInt ? v.text : null;

const shardOf = (guildId: string, shards: number) =>
  Number((BigInt(guildId) >> 22n) % BigInt(shards));

function memberDict(guild: ShardGuild, m: ShardMember) {
  const user = USERS.find((u) => u.id === m.userId)!;
  return {
    id: user.id,
    name: user.username,
    nick: m.nick,
    avatar: user.avatar,
    discriminator: user.discriminator,
    roles: [...m.roles],
    color: "#99aab5",
    joined_at: `2020-0${guild.members.indexOf(m) + 1}-01T12:00:00.000000`,
  };
}

const userDict = (u: typeof USERS[number]) => ({
  id: u.id,
  username: u.username,
  avatar: u.avatar,
  discriminator: u.discriminator,
});

/** `guild_to_dict` plus what `users_guilds` adds for one user; `owner_id` is a JSON int. */
function guildDict(guild: ShardGuild, member: ShardMember) {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    owner_id: rawJSON(guild.ownerId),
    region: null,
    afk_timeout: 300,
    unavailable: false,
    max_members: 250000,
    banner: null,
    description: null,
    mfa_level: 0,
    features: [],
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: "en-US",
    member_count: guild.members.length,
    has_architus: true,
    architus_admin: member.admin,
    permissions: member.permissions,
  };
}

/**
 * A stand-in for the Architus shards, the other side of the gateway's
 * `architus` backend in tests. It answers only the documented signatures
 * (`architus.md` §3.2, §4.2, §4.5, §6.2) with the documented bodies and
 * quirks: Python argument binding (an unexpected keyword raises), errors
 * as `({"message": "'<exc>'"}, 500)`, `nonexistant`, `pool_all_request`
 * refusing `user` and `guild` with 400, `int(None)` for a missing guild,
 * `{error: "Unknown Pool"}`, `settingValue` and unknown methods never
 * answered (the caller times out), `{}` for a fetched custom emoji, a
 * silent send answered with `messageId: null`, action 72 raising.
 */
export class ArchitusShard {
  readonly #bus: Bus;
  readonly #shards: number;
  #subs: Subscription[] = [];
  /** Every call received; JSON integers in `args` as bigints, so a test can tell `1` from `"1"`. */
  readonly calls: Array<
    { queue: string; method: string; args: unknown[]; kwargs: Record<string, unknown> }
  > = [];

  constructor(bus: Bus, options: { shards: number }) {
    this.#bus = bus;
    this.#shards = options.shards;
  }

  /** Serves `shard_rpc_<n>` for each of `only` (default: every shard). */
  async start(only?: readonly number[]): Promise<void> {
    for (const n of only ?? Array.from({ length: this.#shards }, (_, i) => i)) {
      const queue = `shard_rpc_${n}`;
      this.#subs.push(await this.#bus.serve(queue, (body) => this.#answer(queue, n, body)));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#subs.map((s) => s.unsubscribe()));
    this.#subs = [];
  }

  /** Calls of `method` so far. */
  called(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  #answer(queue: string, shard: number, body: string): Promise<string> {
    const request = JSON.parse(body, function (_k: string, v: unknown, ctx?: { source?: string }) {
      return typeof v === "number" && ctx?.source !== undefined && /^-?[0-9]+$/.test(ctx.source)
        ? new PyInt(ctx.source)
        : v;
    } as never) as { method: string; args?: unknown[]; kwargs?: Record<string, unknown> };
    const { method, args = [], kwargs = {} } = request;
    const plain = (v: unknown): unknown =>
      v instanceof PyInt ? BigInt(v.text) : Array.isArray(v) ? v.map(plain) : v;
    this.calls.push({ queue, method, args: args.map(plain), kwargs });
    let reply: Reply;
    try {
      reply = this.#dispatch(shard, method, args, kwargs);
    } catch (error) {
      if (error instanceof NoReply) return Promise.reject(error);
      reply = { sc: 500, resp: { message: `'${(error as Error).message}'` } };
    }
    return Promise.resolve(JSON.stringify(reply));
  }

  #dispatch(
    shard: number,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
  ): Reply {
    switch (method) {
      case "ping":
        bind(method, [], args, kwargs);
        return { sc: 200, resp: "pong" };
      case "is_member": {
        const a = bind(method, [["user_id"], ["guild_id"]], args, kwargs);
        const user = userIdOf(a.user_id);
        if (user === SUPER_ADMIN) {
          return { sc: 200, resp: { member: true, admin: true, permissions: 274 } };
        }
        const m = this.#guild(int(a.guild_id), shard)?.members.find((m) => m.userId === user);
        return {
          sc: 200,
          resp: {
            member: m !== undefined,
            admin: m?.admin ?? false,
            permissions: m?.permissions ?? 0,
          },
        };
      }
      case "users_guilds": {
        const user = userIdOf(bind(method, [["user_id"]], args, kwargs).user_id);
        return {
          sc: 200,
          resp: GUILDS.filter((g) => shardOf(g.id, this.#shards) === shard).flatMap((g) => {
            const m = g.members.find((m) => m.userId === user);
            return m ? [guildDict(g, m)] : [];
          }),
        };
      }
      case "pool_request":
        return this.#poolRequest(
          shard,
          bind(
            method,
            [["user_id"], ["guild_id"], ["pool_type"], ["entity_ids"], ["fetch", false]],
            args,
            kwargs,
          ),
        );
      case "pool_all_request":
        return this.#poolAll(shard, bind(method, [["guild_id"], ["pool_type"]], args, kwargs));
      case "handle_mock_user_action":
        return this.#mock(
          bind(
            method,
            [
              ["action", null],
              ["messageId", null],
              ["guildId", null],
              ["content", null],
              ["allowedCommands", null],
              ["emoji", null],
              ["silent", false],
            ],
            args,
            kwargs,
          ),
        );
      default:
        // "No such method" refers to an unassigned variable: the shard raises and never answers.
        throw new NoReply(`no such method ${method}`);
    }
  }

  /** A guild this shard holds. */
  #guild(id: string, shard: number): ShardGuild | undefined {
    return GUILDS.find((g) => g.id === id && shardOf(g.id, this.#shards) === shard);
  }

  #poolRequest(shard: number, a: Record<string, unknown>): Reply {
    const fetch = a.fetch === true;
    const user = userIdOf(a.user_id);
    const ids = (a.entity_ids as unknown[]).map((
      id,
    ) => (id instanceof PyInt ? id.text : String(id)));
    const type = a.pool_type;
    if (!["member", "user", "customEmoji", "guild"].includes(type as string)) {
      throw new PyError("unknown pool type");
    }
    const data: unknown[] = [];
    const nonexistant: string[] = [];
    for (const id of ids) {
      // One task per id; any exception counts as nonexistant.
      let found: unknown = undefined;
      try {
        if (type === "user") {
          const u = USERS.find((u) => u.id === id && (u.cached || fetch));
          found = u && userDict(u);
        } else if (type === "guild") {
          const g = this.#guild(id, shard);
          const m = g?.members.find((m) => m.userId === user);
          found = g && m ? guildDict(g, m) : undefined;
        } else {
          const g = this.#guild(int(a.guild_id), shard);
          if (type === "member") {
            const m = g?.members.find((m) => m.userId === id && (m.cached || fetch));
            found = g && m && memberDict(g, m);
          } else {
            const e = g?.emoji.find((e) => e.id === id && (e.cached || fetch));
            // A fetched custom emoji comes back as `{}`.
            found = e && (fetch ? {} : { ...e, cached: undefined });
          }
        }
      } catch {
        found = undefined;
      }
      if (found === undefined) nonexistant.push(id);
      else data.push(found);
    }
    return { sc: 200, resp: { data, nonexistant } };
  }

  #poolAll(shard: number, a: Record<string, unknown>): Reply {
    const type = a.pool_type;
    if (type === "user" || type === "guild") {
      return { sc: 400, resp: { message: "Invalid Request" } };
    }
    const guild = this.#guild(int(a.guild_id), shard); // `@fetch_guild`
    if (guild === undefined) return { sc: 404, resp: { message: "Unknown Guild" } };
    switch (type) {
      case "member":
        return { sc: 200, resp: { data: guild.members.map((m) => memberDict(guild, m)) } };
      case "channel":
        return { sc: 200, resp: { data: guild.channels } };
      case "role":
        return { sc: 200, resp: { data: guild.roles } };
      case "customEmoji":
        return { sc: 200, resp: { data: guild.emoji.map((e) => ({ ...e, cached: undefined })) } };
      case "autoResponse":
        return { sc: 200, resp: { data: guild.autoResponses } };
      case "settingValue":
        // Returns None instead of (resp, status): the RPC server crashes, nobody answers.
        throw new NoReply("settingValue crashed the RPC server");
      default:
        return { sc: 400, resp: { error: "Unknown Pool" } };
    }
  }

  #mock(a: Record<string, unknown>): Reply {
    const num = (v: unknown) => (v instanceof PyInt ? Number(v.text) : v);
    const [action, messageId, guildId] = [num(a.action), num(a.messageId), num(a.guildId)];
    if (guildId === null) {
      throw new PyError("'<' not supported between instances of 'NoneType' and 'int'");
    }
    if ((guildId as number) >= 10_000_000) throw new PyError(""); // `assert guildId < FAKE_GUILD_IDS`
    if (action === null || messageId === null) {
      return { sc: 400, resp: { message: "missing arguments" } };
    }
    const replyId = (crypto.getRandomValues(new Uint32Array(1))[0]! & 0xffffff) | 1;
    if (action === 3001) {
      const words = String(a.content ?? "").split(/\s+/);
      const allowed = (a.allowedCommands as string[] | null) ?? [];
      const help = !a.silent && words[0]?.slice(1) === "help";
      // Silent, or nothing sent: the reply id is None and the content empty, still a 3001.
      return {
        sc: 200,
        resp: {
          guildId,
          actions: [
            help
              ? {
                action: 3001,
                messageId: replyId,
                content: allowed.map((c) => `\`\`\`${c}: ...\`\`\``).join("\n"),
              }
              : { action: 3001, messageId: null, content: "" },
          ],
        },
      };
    }
    if (action === 3100 || action === 3101) {
      return {
        sc: 200,
        resp: {
          guildId,
          actions: [{ action: 3002, messageId, content: action === 3100 ? "edited" : "" }],
        },
      };
    }
    throw new PyError("local variable 'resp' referenced before assignment");
  }
}
