// This module is browser-compatible.
import type { ServerEventName, ServerFrame, ServerFrameOf } from "./protocol/mod.ts";
import type { GatewayRequestError } from "./request_error.ts";

/** Where the connection is. `open` means usable: the session was restored. */
export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** What came with a state change. */
export interface StateDetail {
  /** The close code of the connection that just ended, if one did. */
  readonly code?: number;
  readonly reason?: string;
  /** While (re)connecting after a failure: the number of the retry about to be made. */
  readonly attempt?: number;
  /** …and how long the client waits before making it. */
  readonly delayMs?: number;
}

export type StateListener = (state: ConnectionState, detail: StateDetail) => void;

/**
 * A token, or a function asked for a fresh one before every elevation: on
 * connect, after every reconnect, and when the gateway says the last one
 * expired. Return undefined when there is none (signed out).
 */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** Opt-in retries of safe requests refused with a "not now" error (`rate_limited`, `busy`, …). */
export interface RetryOptions {
  /** Tries after the first. Default 3. */
  readonly attempts?: number;
  /** Never waits longer than this between tries, whatever `retryAfter` says. Default 5 000. */
  readonly maxDelayMs?: number;
}

export interface GatewayClientOptions {
  /** `ws(s)://…/gateway`; `http(s)` and paths relative to the page are accepted. */
  readonly url: string | URL;
  /**
   * Elevates every connection with `request_elevation`. Without it the
   * client relies on the cookie the browser sends with the upgrade.
   */
  readonly token?: TokenSource;
  /** The WebSocket constructor; injectable for tests and other runtimes (Node 20: `ws`). */
  readonly WebSocket?: typeof WebSocket;
  readonly backoff?: {
    /** The shortest delay before a reconnect. Default 250. */
    readonly baseMs?: number;
    /** The longest delay before a reconnect. Default 2 000. */
    readonly maxMs?: number;
    /** How long a connection must stay open before the backoff starts over. Default 5 000. */
    readonly resetAfterMs?: number;
  };
  /** Default deadline of a request; 0 or Infinity for none. Default 10 000. */
  readonly requestTimeoutMs?: number;
  /** Default for every safe request's `retry` option. Default off. */
  readonly retry?: boolean | RetryOptions;
  /** Source of jitter in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Frames and requests kept while disconnected. Default 100. */
  readonly maxQueuedFrames?: number;
}

export interface RequestOptions {
  /**
   * Overrides the client's `requestTimeoutMs` for this request. The deadline
   * counts from the call, time spent waiting for a connection or a retry
   * included.
   */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Told the request's `_seq` once it is queued or sent. */
  readonly onSeq?: (seq: number) => void;
  /**
   * Sends the request again after a "not now" refusal (`rate_limited`,
   * `busy`, `overloaded`, `draining`, `backend_unavailable`,
   * `backend_timeout`), waiting `retryAfter` when the gateway says it.
   * Only requests that are safe to repeat (`IDEMPOTENT_EVENTS`) retry.
   */
  readonly retry?: boolean | RetryOptions;
}

export interface SpectateOptions extends RequestOptions {
  readonly includeLogs?: boolean;
  /** Replay log events after this id. Default: after the newest event this client saw. */
  readonly since?: string;
}

/** A frame that did not match the protocol; handed to `on("malformed")`. */
export interface MalformedFrame {
  readonly reason: string;
  /** The frame's text, cut to 4 096 characters. */
  readonly raw: string;
}

/** The guild the client keeps spectating across reconnects. */
export interface SpectateTarget {
  readonly guildId: string;
  readonly includeLogs: boolean;
}

/** What the gateway granted for the guild spectated now. */
export interface Subscription {
  readonly guildId: string;
  readonly tier: string;
  readonly permissions: number;
  readonly categories: readonly string[];
  readonly logs: "granted" | "refused" | "not_requested";
}

/** A spectate the gateway accepted: asked by the app, or restored by the client. */
export interface SubscribedEvent extends Subscription {
  /** True when the client restored it (after a reconnect or a re-elevation). */
  readonly restored: boolean;
  /** The event id the log stream resumed after, when it resumed. */
  readonly since: string | undefined;
  /**
   * With `since`: whether every event after it is replayed. False means
   * history no longer reaches back that far: reload the newest page.
   */
  readonly recovered: boolean | undefined;
  /** With `since`: how many events the replay sends right after this. */
  readonly replayed: number | undefined;
}

/** A connection restored after a drop: elevation and spectate are back. */
export interface ResumedEvent {
  /** Retries it took (1: the first retry worked). */
  readonly attempts: number;
  /** Milliseconds between losing the old connection and restoring the new one. */
  readonly downtimeMs: number;
  readonly elevated: boolean;
  readonly userId: string | null;
  /** The guild spectated again, if any. */
  readonly guildId: string | null;
  /** As on `subscribed`, for the guild's log stream; undefined when none was resumed. */
  readonly recovered: boolean | undefined;
  readonly replayed: number | undefined;
}

/** Why the client no longer spectates a guild it did. */
export type UnsubscribedReason =
  | "left"
  | "not_a_member"
  | "not_found"
  | "access_unverified"
  | "demoted";

export interface UnsubscribedEvent {
  readonly guildId: string;
  readonly reason: UnsubscribedReason;
  /**
   * True when the client will spectate the guild again by itself (after a
   * re-elevation or a reconnect); false when only the app can.
   */
  readonly willRestore: boolean;
}

/** The connection lost its elevation and the client could not restore it. */
export interface ElevationLostEvent {
  readonly reason: "expired" | "signed_out";
  /** Why it could not re-elevate: `no_token`, `invalid_token`, or a request failure. */
  readonly error: GatewayRequestError;
}

/** Events the client itself emits, besides the gateway's frames. */
export interface ClientEventMap {
  resumed: ResumedEvent;
  subscribed: SubscribedEvent;
  unsubscribed: UnsubscribedEvent;
  elevation_lost: ElevationLostEvent;
  malformed: MalformedFrame;
  "*": ServerFrame;
}

/** What `on()` hands each listener: a server frame by name, or a client event. */
export type GatewayEventMap = { [E in ServerEventName]: ServerFrameOf<E> } & ClientEventMap;
