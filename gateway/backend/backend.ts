import type {
  LogEvent,
  LogFilter,
  Membership,
  MockBotAction,
  PartialGuild,
  PoolType,
} from "../protocol/mod.ts";

/** Who asks, for every call that depends on the caller. */
export interface Caller {
  /** The user's id, or null for an anonymous connection (interpret only). */
  readonly userId: string | null;
}

export interface PoolRequestArgs {
  readonly userId: string;
  readonly guildId: string | null;
  readonly type: PoolType;
  readonly ids: readonly string[];
}

export interface PoolAllArgs {
  readonly userId: string;
  readonly guildId: string | null;
  readonly type: PoolType;
  /** Members only: only members whose presence is not offline. */
  readonly online?: boolean | undefined;
  /**
   * The caller's Discord OAuth token (the JWT's `access_token`), for the
   * guild list of backends that merge in Discord's (`architus`). A secret:
   * never logged.
   */
  readonly discordAccessToken?: string | undefined;
}

export interface PoolSearchArgs {
  readonly guildId: string;
  readonly query: string;
  readonly limit: number;
}

export interface PoolResult {
  readonly data: readonly unknown[];
  readonly nonexistent: readonly string[];
}

/** The original front-page mock's fields (`handle_mock_user_action`). */
export interface MockUserAction {
  readonly action: number;
  /**
   * A mock guild (the front page's conversation, a number), or a real guild's
   * id (a string): the dashboard's bot channel, which only the demo backend has.
   */
  readonly guildId: number | string;
  /** The signed-in user who typed it, for a real guild. */
  readonly userId?: string | undefined;
  readonly messageId: number;
  readonly content?: string | undefined;
  readonly allowedCommands?: readonly string[] | undefined;
  readonly emoji?: string | undefined;
  readonly silent?: boolean | undefined;
}

export interface MockBotReply {
  readonly guildId: number | string;
  readonly actions: readonly MockBotAction[];
}

export interface LogsHistoryArgs {
  readonly guildId: string;
  /** Only events with ids below this one. */
  readonly before?: string | undefined;
  /** Only events with ids above this one. */
  readonly after?: string | undefined;
  readonly limit: number;
  readonly filter?: LogFilter | undefined;
  /** Whether private events may be returned. */
  readonly includePrivate: boolean;
}

export interface LogsHistory {
  /** Newest first. */
  readonly events: readonly LogEvent[];
  /** More events match beyond this page. */
  readonly hasMore: boolean;
  /**
   * The highest id the history has already dropped for the guild (null when
   * it never dropped any). Resuming `after` an id below it may miss events.
   */
  readonly evictedThrough: string | null;
}

/**
 * The backend services the gateway calls: the original shard RPC
 * (`is_member`, `users_guilds`, `pool_request`, `pool_all_request`,
 * `handle_mock_user_action`) plus member search and log history.
 *
 * Every method may reject with a `BackendError`; none hangs past the
 * caller's signal. Methods may be called concurrently.
 */
export interface Backend {
  /** Resolves when the backend answers at all (readiness probes). */
  ping(signal?: AbortSignal): Promise<void>;
  isMember(userId: string, guildId: string, signal?: AbortSignal): Promise<Membership>;
  usersGuilds(userId: string, signal?: AbortSignal): Promise<PartialGuild[]>;
  poolRequest(args: PoolRequestArgs, signal?: AbortSignal): Promise<PoolResult>;
  poolAll(args: PoolAllArgs, signal?: AbortSignal): Promise<readonly unknown[]>;
  poolSearch(args: PoolSearchArgs, signal?: AbortSignal): Promise<readonly unknown[]>;
  mockUserAction(action: MockUserAction, signal?: AbortSignal): Promise<MockBotReply>;
  logsHistory(args: LogsHistoryArgs, signal?: AbortSignal): Promise<LogsHistory>;
}

export type BackendErrorKind =
  | "timeout"
  | "unavailable"
  | "aborted"
  | "not_found"
  | "bad_request"
  /** This backend cannot do it at all (the original shards have no such method). */
  | "unsupported"
  | "failed";

/** A backend call that did not succeed. Its message is safe to show in logs. */
export class BackendError extends Error {
  readonly kind: BackendErrorKind;
  /** The backend's status code, when it answered one. */
  readonly status: number | undefined;
  constructor(
    kind: BackendErrorKind,
    message: string,
    status?: number,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BackendError";
    this.kind = kind;
    this.status = status;
  }
}
