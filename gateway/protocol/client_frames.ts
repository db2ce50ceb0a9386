// This module is browser-compatible.
/**
 * What clients send: every request frame, its limits and its aliases.
 *
 * @module
 */
import * as z from "./_zod.ts";
import { Id, IdString } from "./ids.ts";
import { PoolTypeName } from "./pool_types.ts";
import { LogFilter } from "./log_event.ts";

/** The protocol version, reported by `session_return`. */
export const PROTOCOL_VERSION = 1;

/** Hard bounds on request fields; oversize input is an `invalid_payload` error. */
export const LIMITS = {
  tokenChars: 8192,
  idsPerRequest: 1000,
  searchQueryChars: 100,
  searchLimit: 100,
  logsPageLimit: 500,
  contentChars: 2000,
  commandsPerRequest: 32,
} as const;

const seq = z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));
const token = z.string().check(z.maxLength(LIMITS.tokenChars));

/** Fields every client frame may carry besides its own. */
const envelope = {
  /** Request id; echoed as `seq` on every answer. Pushes never carry one. */
  _seq: z.optional(seq),
  /** Per-request JWT (the design doc's "token in the payload of every request"). */
  token: z.optional(token),
};

/** Maps older camelCase keys onto the snake_case ones (`guildId` → `guild_id`). */
function withAliases<T extends z.ZodMiniType>(aliases: Record<string, string>, schema: T) {
  // zod/mini has no `preprocess`: it is this pipe, a transform feeding the schema.
  return z.pipe(
    z.transform((input: unknown) => {
      if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
      const out: Record<string, unknown> = { ...input as Record<string, unknown> };
      for (const [from, to] of Object.entries(aliases)) {
        if (Object.hasOwn(out, from) && !Object.hasOwn(out, to)) out[to] = out[from];
      }
      return out;
    }),
    schema,
  );
}

/** A sign-in nonce of the REST API's token exchange (`randbits(32)`): an integer or its decimal text. */
const Nonce = z.union([
  z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER)),
  z.string().check(z.regex(/^[0-9]{1,20}$/)),
]);

/**
 * `request_elevation` with the REST API's JWT (`token`), or with the nonce
 * its token exchange registered over `gateway_rpc`: `nonce`, or the bare
 * nonce itself in `token`'s place, as the Socket.IO-era client sent it.
 * Either way the frame comes out with `token` or `nonce` (canonical
 * decimal text), never both.
 */
export const RequestElevation = z.pipe(
  z.object({
    _event: z.literal("request_elevation"),
    ...envelope,
    token: z.optional(z.union([Nonce, token])),
    nonce: z.optional(Nonce),
  }),
  z.transform((f, ctx): {
    _event: "request_elevation";
    _seq?: number | undefined;
    token?: string | undefined;
    nonce?: string | undefined;
  } => {
    const { token: given, nonce: named, ...rest } = f;
    const bare = typeof given === "number" || (given !== undefined && /^[0-9]+$/.test(given));
    const nonce = named ?? (bare ? given : undefined);
    const jwt = bare ? undefined : given as string | undefined;
    if ((given === undefined) === (named === undefined)) {
      ctx.issues.push({ code: "custom", message: "needs a token or a nonce, not both", input: f });
      return z.NEVER;
    }
    return nonce === undefined
      ? { ...rest, token: jwt }
      : { ...rest, nonce: BigInt(nonce).toString() };
  }),
);

export const SessionRequest = z.object({ _event: z.literal("session"), ...envelope });

export const Spectate = withAliases(
  { guildId: "guild_id", includeLogs: "include_logs" },
  z.object({
    _event: z.literal("spectate"),
    ...envelope,
    /** The guild to spectate; `null` stops spectating. */
    guild_id: z.nullable(Id),
    include_logs: z.optional(z.boolean()),
    /** Resume the log stream after this event id (a hoar frost). */
    since: z.optional(Id),
  }),
);

/** Ids in pool requests: decimal ids, or keys such as setting ids (`prefix`). */
const PoolId = z.union([Id, z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/))]);

export const PoolRequest = withAliases(
  { guildId: "guild_id" },
  z.object({
    _event: z.literal("pool_request"),
    ...envelope,
    type: PoolTypeName,
    guild_id: z.optional(z.nullable(Id)),
    ids: z.array(PoolId).check(z.maxLength(LIMITS.idsPerRequest)),
  }),
);

export const PoolAllRequest = withAliases(
  { guildId: "guild_id" },
  z.object({
    _event: z.literal("pool_all_request"),
    ...envelope,
    type: PoolTypeName,
    guild_id: z.optional(z.nullable(Id)),
    /** Members only: only those whose presence is not offline. */
    online: z.optional(z.boolean()),
  }),
);

export const PoolSearch = withAliases(
  { guildId: "guild_id" },
  z.object({
    _event: z.literal("pool_search"),
    ...envelope,
    type: z.literal("member"),
    guild_id: Id,
    query: z.string().check(z.minLength(1), z.maxLength(LIMITS.searchQueryChars)),
    limit: z.optional(z.int().check(z.minimum(1), z.maximum(LIMITS.searchLimit))),
  }),
);

/** The archit.us interpret mock (`mock_user_event`, and `ping` at the client's HEAD). */
const mockUserEventFields = {
  ...envelope,
  action: z.int(),
  guildId: z.int().check(z.nonnegative(), z.lt(10_000_000)),
  messageId: z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER)),
  content: z.optional(z.string().check(z.maxLength(LIMITS.contentChars))),
  allowedCommands: z.optional(
    z.array(z.string().check(z.maxLength(32))).check(z.maxLength(LIMITS.commandsPerRequest)),
  ),
  emoji: z.optional(z.string().check(z.maxLength(64))),
  silent: z.optional(z.boolean()),
};
export const MockUserEvent = z.object({
  _event: z.literal("mock_user_event"),
  ...mockUserEventFields,
});
export const Ping = z.object({ _event: z.literal("ping"), ...mockUserEventFields });

/** The design doc's own interpret form. It spells one field `removed_reacions`. */
export const Interpret = withAliases(
  { removed_reacions: "removed_reactions" },
  z.object({
    _event: z.literal("interpret"),
    ...envelope,
    /**
     * A mock guild (the front page's conversation, a number), or a real
     * guild's id as a string: the dashboard's bot channel (signed in, a
     * member; the backend decides what the member may change).
     */
    guild_id: z.union([z.int().check(z.nonnegative(), z.lt(10_000_000)), IdString]),
    message_id: z.int().check(z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER)),
    content: z.optional(z.string().check(z.maxLength(LIMITS.contentChars))),
    added_reactions: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(20))),
    removed_reactions: z.optional(
      z.array(z.string().check(z.maxLength(64))).check(z.maxLength(20)),
    ),
    allowed_commands: z.optional(
      z.array(z.string().check(z.maxLength(32))).check(z.maxLength(LIMITS.commandsPerRequest)),
    ),
    silent: z.optional(z.boolean()),
  }),
);

export const LogsRequest = withAliases(
  { guildId: "guild_id" },
  z.object({
    _event: z.literal("logs_request"),
    ...envelope,
    guild_id: Id,
    before: z.optional(Id),
    after: z.optional(Id),
    limit: z.optional(z.int().check(z.minimum(1), z.maximum(LIMITS.logsPageLimit))),
    filter: z.optional(LogFilter),
  }),
);

/** Every frame a client may send, keyed by `_event`. */
export const CLIENT_FRAMES = {
  request_elevation: RequestElevation,
  session: SessionRequest,
  spectate: Spectate,
  pool_request: PoolRequest,
  pool_all_request: PoolAllRequest,
  pool_search: PoolSearch,
  mock_user_event: MockUserEvent,
  ping: Ping,
  interpret: Interpret,
  logs_request: LogsRequest,
} as const;

export type ClientEventName = keyof typeof CLIENT_FRAMES;
export type ClientFrameOf<E extends ClientEventName> = z.output<typeof CLIENT_FRAMES[E]>;
export type ClientFrame = { [E in ClientEventName]: ClientFrameOf<E> }[ClientEventName];
/** What a client writes (inputs before normalisation). */
export type ClientFrameInput<E extends ClientEventName> = z.input<typeof CLIENT_FRAMES[E]>;
