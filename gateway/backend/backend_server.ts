import {
  type Bus,
  decodeRpcRequest,
  encodeRpcReply,
  RPC_NOT_JSON,
  type RpcReply,
  type Subscription,
} from "../bus/mod.ts";
import type { LogFilter, PoolType } from "../protocol/mod.ts";
import { PoolTypeName } from "../protocol/mod.ts";
import { type Backend, BackendError, type MockUserAction } from "./backend.ts";

export type Method = (
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
) => Promise<unknown>;

const str = (v: unknown): string => {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  throw new BackendError("bad_request", "expected an id");
};
const strOrNull = (v: unknown): string | null => v === null || v === undefined ? null : str(v);
const poolType = (v: unknown): PoolType => {
  const parsed = PoolTypeName.safeParse(v);
  if (!parsed.success) throw new BackendError("bad_request", "Unknown Pool");
  return parsed.data;
};

/** The shard RPC methods, mapped onto a `Backend`. */
export function backendMethods(backend: Backend): Record<string, Method> {
  return {
    ping: async () => {
      await backend.ping();
      return "pong";
    },
    is_member: (a) => backend.isMember(str(a[0]), str(a[1])),
    users_guilds: (a) => backend.usersGuilds(str(a[0])),
    pool_request: async (a) => {
      const r = await backend.poolRequest({
        userId: str(a[0]),
        guildId: strOrNull(a[1]),
        type: poolType(a[2]),
        ids: Array.isArray(a[3]) ? a[3].map(str) : [],
      });
      return { data: r.data, nonexistent: r.nonexistent };
    },
    pool_all_request: async (a, k) => ({
      data: await backend.poolAll({
        userId: str(k.user_id),
        guildId: strOrNull(a[0]),
        type: poolType(a[1]),
        online: k.online === true,
      }),
    }),
    pool_search: async (a) => ({
      data: await backend.poolSearch({
        guildId: str(a[0]),
        query: String(a[1] ?? ""),
        limit: typeof a[2] === "number" ? a[2] : 25,
      }),
    }),
    handle_mock_user_action: (_a, k) => backend.mockUserAction(k as unknown as MockUserAction),
    logs_history: async (a, k) => {
      const h = await backend.logsHistory({
        guildId: str(a[0]),
        before: k.before === null || k.before === undefined ? undefined : str(k.before),
        after: k.after === null || k.after === undefined ? undefined : str(k.after),
        limit: typeof k.limit === "number" ? k.limit : 100,
        filter: (k.filter ?? undefined) as LogFilter | undefined,
        includePrivate: k.include_private === true,
      });
      return { events: h.events, has_more: h.hasMore, evicted_through: h.evictedThrough };
    },
  };
}

const STATUS: Record<string, number> = {
  not_found: 404,
  bad_request: 400,
  timeout: 504,
  unavailable: 503,
  unsupported: 501,
};

/** Answers one raw shard RPC body. Never throws: failures are `{sc, resp: {message}}`. */
export async function answerRpc(table: Record<string, Method>, body: string): Promise<string> {
  const request = decodeRpcRequest(body);
  let reply: RpcReply;
  if (!request.ok) {
    reply = request.reason === RPC_NOT_JSON
      ? { sc: 400, resp: { message: "request is not JSON" } }
      : { sc: 404, resp: { message: "No such method" } };
    return encodeRpcReply(reply);
  }
  const { method: name, args, kwargs } = request.value;
  const method = !name.startsWith("_") && Object.hasOwn(table, name) ? table[name] : undefined;
  if (method === undefined) {
    return encodeRpcReply({ sc: 404, resp: { message: "No such method" } });
  }
  try {
    reply = { sc: 200, resp: await method(args, { ...kwargs }) };
  } catch (error) {
    reply = error instanceof BackendError
      ? { sc: error.status ?? STATUS[error.kind] ?? 500, resp: { message: error.message } }
      : { sc: 500, resp: { message: "internal error" } };
  }
  return encodeRpcReply(reply);
}

/**
 * Serves `backend` on every shard queue (`shard_rpc_0` … `shard_rpc_{n-1}`)
 * with the original body format, as a real Architus shard would.
 */
export async function serveBackend(
  bus: Bus,
  backend: Backend,
  options: { shards: number },
): Promise<Subscription> {
  const table = backendMethods(backend);
  const subs = await Promise.all(
    Array.from(
      { length: options.shards },
      (_, n) => bus.serve(`shard_rpc_${n}`, (body) => answerRpc(table, body)),
    ),
  );
  return {
    unsubscribe: async () => {
      await Promise.all(subs.map((s) => s.unsubscribe()));
    },
  };
}
