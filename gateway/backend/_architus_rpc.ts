import { type Bus, BusError, shardQueue } from "../bus/mod.ts";
import { BackendError } from "./backend.ts";
import type { CallObserver } from "./backend_rpc.ts";

/** Keys whose JSON numbers are ids (the shards write `owner_id` and more as numbers beyond 2^53). */
const ID_KEYS = new Set([
  "id",
  "owner_id",
  "user_id",
  "guild_id",
  "channel_id",
  "authorId",
  "guildId",
  "discordId",
]);

type Reviver = (
  this: unknown,
  key: string,
  value: unknown,
  context?: { source?: string },
) => unknown;

/** Ids as exact decimal strings, read from their source text (JSON.parse source access). */
const exactIds: Reviver = (key, value, context) =>
  typeof value === "number" && ID_KEYS.has(key) && context?.source !== undefined
    ? context.source
    : value;

const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/**
 * A decimal id written as a bare JSON integer, exact beyond 2^53: the
 * original gateway passed the JWT's user id to the shards as a Python int.
 */
export function intId(id: string): unknown {
  return rawJSON(id);
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  /** Read id fields of the reply as exact decimal strings (entities); off for the mock's numbers. */
  readonly exactIds?: boolean;
}

/**
 * The original shards' RPC as they answer it: `{method, args, kwargs}` on
 * `shard_rpc_N`, `{sc, resp}` back. Every call has the node's deadline; a
 * shard that never answers (an unknown method, the `settingValue` crash)
 * ends in a `timeout` BackendError, never a hang. Private to the backend
 * folder.
 */
export class ArchitusRpc {
  readonly #bus: Bus;
  readonly #timeoutMs: number;
  readonly #observe: CallObserver | undefined;
  readonly shards: number;

  constructor(bus: Bus, options: { shards: number; timeoutMs: number; observe?: CallObserver }) {
    this.#bus = bus;
    this.shards = options.shards;
    this.#timeoutMs = options.timeoutMs;
    this.#observe = options.observe;
  }

  /** The shard of a guild (`(id >> 22) % N`); shard 0 for guild-agnostic calls. */
  queueOf(guildId: string | null): string {
    return shardQueue(guildId, this.shards);
  }

  async call(
    queue: string,
    method: string,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>>,
    options: CallOptions = {},
  ): Promise<unknown> {
    const started = performance.now();
    const observe = (outcome: "ok" | "error" | "timeout") =>
      this.#observe?.(method, (performance.now() - started) / 1000, outcome);
    let raw: string;
    try {
      raw = await this.#bus.request(queue, JSON.stringify({ method, args, kwargs }), {
        timeoutMs: this.#timeoutMs,
        signal: options.signal,
      });
    } catch (error) {
      observe(error instanceof BusError && error.kind === "timeout" ? "timeout" : "error");
      if (!(error instanceof BusError)) throw error;
      const kind = error.kind === "closed" ? "unavailable" : error.kind;
      throw new BackendError(kind, `${method}: ${error.message}`, undefined, { cause: error });
    }
    let reply: { sc?: unknown; resp?: unknown };
    try {
      reply = JSON.parse(raw, options.exactIds ? exactIds as never : undefined);
    } catch {
      reply = {};
    }
    if (typeof reply !== "object" || reply === null || typeof reply.sc !== "number") {
      observe("error");
      throw new BackendError("failed", `${method}: malformed reply`);
    }
    const sc = reply.sc;
    observe(sc >= 200 && sc < 300 ? "ok" : "error");
    if (sc >= 200 && sc < 300) return reply.resp;
    // Error bodies: `{"message": "'<exception>'"}`, or `{"error": "Unknown Pool"}`.
    const body = reply.resp as { message?: unknown; error?: unknown } | null;
    const said = typeof body?.message === "string"
      ? body.message
      : typeof body?.error === "string"
      ? body.error
      : `status ${sc}`;
    const message = `${method}: ${said.slice(0, 200)}`;
    if (sc === 404) throw new BackendError("not_found", message, sc);
    if (sc === 400) throw new BackendError("bad_request", message, sc);
    throw new BackendError("failed", message, sc);
  }
}
