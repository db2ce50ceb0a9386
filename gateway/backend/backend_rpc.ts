import { replyList, replyRecord } from "./_reply_shape.ts";
import {
  type Bus,
  BusError,
  decodeRpcReply,
  encodeRpcRequest,
  type RpcRequest,
  shardQueue,
} from "../bus/mod.ts";
import type { LogEvent, Membership, PartialGuild } from "../protocol/mod.ts";
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
} from "./backend.ts";

/** Told of every backend call's outcome (the metrics keep a latency histogram of them). */
export type CallObserver = (
  method: string,
  seconds: number,
  outcome: "ok" | "error" | "timeout",
) => void;

/**
 * A `Backend` reached over the bus with the original Architus shard RPC:
 * bodies `{method, args, kwargs}` answered by `{sc, resp}`, guild-scoped
 * calls routed to `shard_rpc_{(guild_id >> 22) % shards}`, guild-agnostic
 * ones to `shard_rpc_0`. Every call has a deadline; it settles with the
 * reply or a `BackendError`, never hangs.
 */
export class BackendRpc implements Backend {
  readonly #bus: Bus;
  readonly #shards: number;
  readonly #timeoutMs: number;
  readonly #observe: CallObserver | undefined;

  constructor(
    bus: Bus,
    options: { shards: number; timeoutMs: number; observe?: CallObserver },
  ) {
    this.#bus = bus;
    this.#shards = options.shards;
    this.#timeoutMs = options.timeoutMs;
    this.#observe = options.observe;
  }

  #call(
    guildId: string | null,
    request: RpcRequest,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    return this.#callQueue(shardQueue(guildId, this.#shards), request, signal);
  }

  async #callQueue(
    queue: string,
    request: RpcRequest,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const started = performance.now();
    const observe = (outcome: "ok" | "error" | "timeout") =>
      this.#observe?.(request.method, (performance.now() - started) / 1000, outcome);
    let raw: string;
    try {
      raw = await this.#bus.request(queue, encodeRpcRequest(request), {
        timeoutMs: this.#timeoutMs,
        signal,
      });
    } catch (error) {
      observe(error instanceof BusError && error.kind === "timeout" ? "timeout" : "error");
      if (error instanceof BusError) {
        const kind = error.kind === "closed" ? "unavailable" : error.kind;
        throw new BackendError(kind, `${request.method}: ${error.message}`, undefined, {
          cause: error,
        });
      }
      throw error;
    }
    const decoded = decodeRpcReply(raw);
    if (!decoded.ok) {
      observe("error");
      throw new BackendError("failed", `${request.method}: ${decoded.reason}`);
    }
    const reply = decoded.value;
    observe(reply.sc >= 200 && reply.sc < 300 ? "ok" : "error");
    if (reply.sc >= 200 && reply.sc < 300) return reply.resp;
    const message = messageOf(reply.resp) ?? `status ${reply.sc}`;
    if (reply.sc === 404) throw new BackendError("not_found", message, reply.sc);
    if (reply.sc === 400) throw new BackendError("bad_request", message, reply.sc);
    if (reply.sc === 501) throw new BackendError("unsupported", message, reply.sc);
    throw new BackendError("failed", `${request.method}: ${message}`, reply.sc);
  }

  /** The shard queues calls are spread over. */
  get shards(): number {
    return this.#shards;
  }

  /** Pings one shard's queue (`shard_rpc_<n>`), for health probes. */
  async pingShard(shard: number, signal?: AbortSignal): Promise<void> {
    await this.#callQueue(`shard_rpc_${shard}`, { method: "ping", args: [], kwargs: {} }, signal);
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.#call(null, { method: "ping", args: [], kwargs: {} }, signal);
  }

  async isMember(userId: string, guildId: string, signal?: AbortSignal): Promise<Membership> {
    const resp = await this.#call(
      guildId,
      { method: "is_member", args: [userId, guildId], kwargs: {} },
      signal,
    );
    const r = replyRecord(resp, "is_member");
    return {
      member: r.member === true,
      admin: r.admin === true,
      permissions: typeof r.permissions === "number" ? r.permissions : 0,
      ...(typeof r.architus_permissions === "number"
        ? { architus_permissions: r.architus_permissions }
        : {}),
    };
  }

  async usersGuilds(userId: string, signal?: AbortSignal): Promise<PartialGuild[]> {
    const resp = await this.#call(
      null,
      { method: "users_guilds", args: [userId], kwargs: {} },
      signal,
    );
    return replyList(resp, "users_guilds") as PartialGuild[];
  }

  async poolRequest(args: PoolRequestArgs, signal?: AbortSignal): Promise<PoolResult> {
    const resp = replyRecord(
      await this.#call(args.guildId, {
        method: "pool_request",
        args: [args.userId, args.guildId, args.type, args.ids],
        kwargs: { fetch: true },
      }, signal),
      "pool_request",
    );
    // The original shard spells it `nonexistant`.
    const missing = resp.nonexistent ?? resp.nonexistant ?? [];
    return {
      data: replyList(resp.data ?? [], "pool_request"),
      nonexistent: replyList(missing, "pool_request").map(String),
    };
  }

  async poolAll(args: PoolAllArgs, signal?: AbortSignal): Promise<readonly unknown[]> {
    const resp = replyRecord(
      await this.#call(args.guildId, {
        method: "pool_all_request",
        args: [args.guildId, args.type],
        kwargs: { user_id: args.userId, ...(args.online ? { online: true } : {}) },
      }, signal),
      "pool_all_request",
    );
    return replyList(resp.data ?? [], "pool_all_request");
  }

  async poolSearch(args: PoolSearchArgs, signal?: AbortSignal): Promise<readonly unknown[]> {
    const resp = replyRecord(
      await this.#call(args.guildId, {
        method: "pool_search",
        args: [args.guildId, args.query, args.limit],
        kwargs: {},
      }, signal),
      "pool_search",
    );
    return replyList(resp.data ?? [], "pool_search");
  }

  async mockUserAction(action: MockUserAction, signal?: AbortSignal): Promise<MockBotReply> {
    const kwargs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(action)) if (v !== undefined) kwargs[k] = v;
    const resp = replyRecord(
      await this.#call(String(action.guildId), {
        method: "handle_mock_user_action",
        args: [],
        kwargs,
      }, signal),
      "handle_mock_user_action",
    );
    return {
      guildId: typeof resp.guildId === "number" || typeof resp.guildId === "string"
        ? resp.guildId
        : action.guildId,
      actions: replyList(resp.actions ?? [], "handle_mock_user_action") as MockBotReply["actions"],
    };
  }

  async logsHistory(args: LogsHistoryArgs, signal?: AbortSignal): Promise<LogsHistory> {
    const resp = replyRecord(
      await this.#call(args.guildId, {
        method: "logs_history",
        args: [args.guildId],
        kwargs: {
          before: args.before ?? null,
          after: args.after ?? null,
          limit: args.limit,
          filter: args.filter ?? null,
          include_private: args.includePrivate,
        },
      }, signal),
      "logs_history",
    );
    return {
      events: replyList(resp.events ?? [], "logs_history") as LogEvent[],
      hasMore: resp.has_more === true,
      evictedThrough: typeof resp.evicted_through === "string" ? resp.evicted_through : null,
    };
  }
}

function messageOf(resp: unknown): string | undefined {
  if (typeof resp === "object" && resp !== null) {
    const m = (resp as { message?: unknown }).message;
    if (typeof m === "string") return m.slice(0, 200);
  }
  return undefined;
}
