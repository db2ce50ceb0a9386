// This module is browser-compatible.
import {
  AnyServerFrame,
  CLIENT_FRAMES,
  type ClientEventName,
  type ClientFrameOf,
  compareIds,
  type ServerEventName,
  type ServerFrame,
  type ServerFrameOf,
  shouldReconnect,
} from "../gateway/protocol/mod.ts";
import { AsyncQueue } from "./async_queue.ts";
import { Backoff } from "./backoff.ts";
import { GatewayRequestError } from "./request_error.ts";

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

/** A token, or a function asked for a fresh one before every elevation. */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface GatewayClientOptions {
  /** `ws(s)://…/gateway`; `http(s)` and paths relative to the page are accepted. */
  readonly url: string | URL;
  /**
   * Elevates every connection with `request_elevation`. Without it the
   * client relies on the cookie the browser sends with the upgrade.
   */
  readonly token?: TokenSource;
  /** The WebSocket constructor; injectable for tests and other runtimes. */
  readonly WebSocket?: typeof WebSocket;
  readonly backoff?: {
    readonly baseMs?: number;
    readonly maxMs?: number;
    /** How long a connection must stay open before the backoff starts over. Default 5 000. */
    readonly resetAfterMs?: number;
  };
  /** Default deadline of a request; 0 or Infinity for none. Default 10 000. */
  readonly requestTimeoutMs?: number;
  /** Source of jitter in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Frames and requests kept while disconnected. Default 100. */
  readonly maxQueuedFrames?: number;
}

/** Requests answered by a stream of `pool_response` chunks. */
export type PoolEventName = "pool_request" | "pool_all_request" | "pool_search";

/** The single answer each other request expects. */
export const REPLY_EVENTS = {
  request_elevation: "elevation_return",
  session: "session_return",
  spectate: "spectate_return",
  mock_user_event: "mock_bot_event",
  ping: "mock_bot_event",
  interpret: "mock_bot_event",
  logs_request: "logs_response",
} as const satisfies Record<Exclude<ClientEventName, PoolEventName>, ServerEventName>;

export type ReplyRequestName = keyof typeof REPLY_EVENTS;

export const POOL_EVENTS: ReadonlySet<ClientEventName> = new Set<ClientEventName>([
  "pool_request",
  "pool_all_request",
  "pool_search",
]);

/**
 * Requests that may be sent again after a connection drops mid-answer.
 * Elevation is not one: archit.us elevated with single-use nonces, and the
 * interpret mock would run a command twice.
 */
export const IDEMPOTENT_EVENTS: ReadonlySet<ClientEventName> = new Set<ClientEventName>([
  "pool_request",
  "pool_all_request",
  "pool_search",
  "logs_request",
  "session",
  "spectate",
]);

/** A request's own fields: the frame without `_event` and `_seq`. */
export type RequestPayload<E extends ClientEventName> = Omit<ClientFrameOf<E>, "_event" | "_seq">;

/** Every chunk of a pool answer, concatenated in arrival order. */
export interface PoolResult {
  data: unknown[];
  nonexistent: string[];
}

/** One `pool_response` chunk as `stream()` yields it. */
export interface PoolChunk {
  readonly data: unknown[];
  readonly nonexistent: string[];
  readonly finished: boolean;
}

export type RequestResult<E extends ClientEventName> = E extends PoolEventName ? PoolResult
  : E extends ReplyRequestName ? ServerFrameOf<typeof REPLY_EVENTS[E]>
  : never;

export interface RequestOptions {
  /**
   * Overrides the client's `requestTimeoutMs` for this request. The deadline
   * counts from the call, time spent waiting for a connection included.
   */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Told the request's `_seq` once it is queued or sent. */
  readonly onSeq?: (seq: number) => void;
}

export interface SpectateOptions extends RequestOptions {
  readonly includeLogs?: boolean;
  /** Replay log events after this id. */
  readonly since?: string;
}

/** A frame that did not match the protocol; handed to `on("malformed")`. */
export interface MalformedFrame {
  readonly reason: string;
  /** The frame's text, cut to 4 096 characters. */
  readonly raw: string;
}

/** What `on()` hands each listener: a server frame by name, plus two extras. */
export type GatewayEventMap =
  & { [E in ServerEventName]: ServerFrameOf<E> }
  & { malformed: MalformedFrame; "*": ServerFrame };

/** The guild the client keeps spectating across reconnects. */
export interface SpectateTarget {
  readonly guildId: string;
  readonly includeLogs: boolean;
}

interface Sink {
  chunk(chunk: PoolChunk): void;
  done(frame: ServerFrame | undefined): void;
  fail(error: GatewayRequestError): void;
}

interface Pending {
  readonly seq: number;
  readonly event: ClientEventName;
  readonly frame: Record<string, unknown>;
  readonly pool: boolean;
  readonly idempotent: boolean;
  /** Sent by the client itself while restoring a connection. */
  readonly internal: boolean;
  readonly sink: Sink;
  /** How many times the frame was written to a socket. */
  writes: number;
  /** Written on the current socket and not yet answered. */
  inFlight: boolean;
  /** Lost with its connection; to be written again when the next one opens. */
  resend: boolean;
  /** Keys of entities and missing ids already delivered, to drop repeats after a resend. */
  readonly seenData: Set<string>;
  readonly seenMissing: Set<string>;
  timer: ReturnType<typeof setTimeout> | undefined;
  detachSignal: (() => void) | undefined;
}

type Queued = { readonly text: string } | { readonly entry: Pending };

interface FrameSchema {
  safeParse(input: unknown):
    | { success: true; data: unknown }
    | {
      success: false;
      error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> };
    };
}

const SOCKET_OPEN = 1;
const SOCKET_CLOSED = 3;
const RAW_LIMIT = 4096;

function toSocketUrl(url: string | URL): string {
  // In a browser a path like "/gateway" is relative to the page.
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const parsed = new URL(url, base);
  if (parsed.protocol === "http:") parsed.protocol = "ws:";
  else if (parsed.protocol === "https:") parsed.protocol = "wss:";
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw new TypeError(`gateway url must be ws(s) or http(s), got ${parsed.protocol}`);
  }
  return parsed.href;
}

function entityKey(entity: unknown): string {
  if (typeof entity === "object" && entity !== null) {
    const id = (entity as { id?: unknown }).id;
    if (typeof id === "string") return `#${id}`;
  }
  return `~${JSON.stringify(entity)}`;
}

function seqOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const seq = (value as { seq?: unknown }).seq;
  return typeof seq === "number" ? seq : undefined;
}

function describeIssues(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
): string {
  const first = issues[0];
  if (!first) return "does not match the protocol";
  const path = first.path.map(String).join(".");
  return path ? `${path}: ${first.message}` : first.message;
}

function report(error: unknown): void {
  // A listener's bug must not break the connection, but must not vanish either.
  globalThis.reportError(error);
}

/**
 * The browser's connection to the Architus gateway: correlates answers to
 * requests by `seq`, reconnects with jittered backoff, and on every new
 * connection restores elevation and spectate, re-sends requests that are
 * safe to repeat and fails the rest, so no request waits forever.
 */
export class GatewayClient {
  readonly #url: string;
  readonly #tokenSource: TokenSource | undefined;
  readonly #WebSocket: typeof WebSocket;
  readonly #backoff: Backoff;
  readonly #resetAfterMs: number;
  readonly #requestTimeoutMs: number;
  readonly #maxQueued: number;

  #state: ConnectionState = "idle";
  #socket: WebSocket | null = null;
  #everOpened = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stableTimer: ReturnType<typeof setTimeout> | undefined;

  #lastSeq = 1;
  readonly #pending = new Map<number, Pending>();
  #queue: Queued[] = [];

  #elevated = false;
  #userId: string | null = null;
  #expiresAt: number | null = null;
  /** A token passed to `elevate()` that worked; reused on reconnect when no option supplies one. */
  #elevationToken: string | undefined;
  #spectating: SpectateTarget | null = null;
  readonly #lastLogIds = new Map<string, string>();

  readonly #stateListeners = new Set<StateListener>();
  readonly #listeners = new Map<string, Set<(value: never) => void>>();

  constructor(options: GatewayClientOptions) {
    this.#url = toSocketUrl(options.url);
    this.#tokenSource = options.token;
    const socketClass = options.WebSocket ?? globalThis.WebSocket;
    if (typeof socketClass !== "function") {
      // Failing here beats retrying forever against a missing constructor.
      throw new TypeError("no WebSocket implementation; pass options.WebSocket");
    }
    this.#WebSocket = socketClass;
    this.#backoff = new Backoff({
      baseMs: options.backoff?.baseMs,
      maxMs: options.backoff?.maxMs,
      random: options.random,
    });
    this.#resetAfterMs = options.backoff?.resetAfterMs ?? 5_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#maxQueued = options.maxQueuedFrames ?? 100;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Whether the server last said this connection is elevated. */
  get elevated(): boolean {
    return this.#elevated;
  }

  get userId(): string | null {
    return this.#userId;
  }

  /** When the elevation ends, in milliseconds since the Unix epoch. */
  get expiresAt(): number | null {
    return this.#expiresAt;
  }

  /** The guild restored on reconnect, or null. */
  get spectating(): SpectateTarget | null {
    return this.#spectating;
  }

  /**
   * Moves the guild's resume point forward to `id` (never back): the next
   * re-spectate asks the server for events after it. `log_other` pushes and
   * unfiltered `logs_response` pages move it by themselves.
   */
  noteLogEvent(guildId: string, id: string): void {
    const last = this.#lastLogIds.get(guildId);
    if (last === undefined || compareIds(id, last) > 0) this.#lastLogIds.set(guildId, id);
  }

  /** The id of the newest `log_other` event seen for a guild. */
  lastLogEventId(guildId: string): string | undefined {
    return this.#lastLogIds.get(guildId);
  }

  /** Starts connecting; while waiting to retry, retries at once. */
  connect(): void {
    if (this.#state === "connecting" || this.#state === "reconnecting") {
      if (this.#socket === null && this.#retryTimer !== undefined) {
        clearTimeout(this.#retryTimer);
        this.#openSocket();
      }
      return;
    }
    if (this.#state === "open") return;
    this.#backoff.reset();
    this.#everOpened = false;
    this.#setState("connecting", {});
    this.#openSocket();
  }

  /**
   * Closes for good: fails every outstanding request with `closed` and stops
   * retrying. Resolves once the socket has finished closing.
   */
  close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = null;
    if (this.#state !== "closed") this.#terminate({ reason: "closed by the client" });
    if (socket === null || socket.readyState === SOCKET_CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      socket.addEventListener("close", () => resolve(), { once: true });
      socket.close(1000);
    });
  }

  /** Resolves when the state is next `open`; rejects if it becomes `closed` first. */
  ready(): Promise<void> {
    if (this.#state === "open") return Promise.resolve();
    if (this.#state === "closed") return Promise.reject(this.#closedError());
    return new Promise((resolve, reject) => {
      const off = this.onState((state) => {
        if (state === "open") {
          off();
          resolve();
        } else if (state === "closed") {
          off();
          reject(this.#closedError());
        }
      });
    });
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  onState(listener: StateListener): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /**
   * Listens to server frames that answer no request of this client (pushes,
   * `mock_bot_event` after `send()`, uncorrelated `error` frames, and the
   * answers to the client's own restoring requests), to `"*"` for all of
   * them, or to `"malformed"`. Returns the unsubscribe function.
   */
  on<K extends keyof GatewayEventMap>(
    event: K,
    handler: (value: GatewayEventMap[K]) => void,
  ): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, set = new Set());
    set.add(handler);
    return () => set.delete(handler);
  }

  /**
   * Sends a frame that expects no correlated answer (no `_seq`). Queued while
   * not open. Returns false when the queue is full or the client is closed.
   * Throws a `GatewayRequestError` (`invalid_payload`) for a malformed payload.
   */
  send<E extends ClientEventName>(event: E, payload: RequestPayload<E>): boolean {
    if (this.#state === "closed") return false;
    const frame = this.#encode(event, payload, undefined);
    if (frame instanceof GatewayRequestError) throw frame;
    const text = JSON.stringify(frame);
    const socket = this.#socket;
    if (this.#state === "open" && socket !== null && this.#writeText(socket, text)) return true;
    return this.#enqueue({ text });
  }

  /**
   * Sends a request and resolves its answer: for pool requests every chunk's
   * `data` and `nonexistent` concatenated, otherwise the terminal frame.
   * Rejects with a `GatewayRequestError`.
   */
  request<E extends ClientEventName>(
    event: E,
    payload: RequestPayload<E>,
    options: RequestOptions = {},
  ): Promise<RequestResult<E>> {
    return new Promise((resolve, reject) => {
      if (POOL_EVENTS.has(event)) {
        const result: PoolResult = { data: [], nonexistent: [] };
        this.#issue(event, payload, options, {
          chunk: (chunk) => {
            // A loop, not push(...spread): a member pool can exceed the argument limit.
            for (const item of chunk.data) result.data.push(item);
            for (const id of chunk.nonexistent) result.nonexistent.push(id);
          },
          done: () => resolve(result as RequestResult<E>),
          fail: reject,
        });
      } else {
        this.#issue(event, payload, options, {
          chunk: () => {},
          done: (frame) => resolve(frame as RequestResult<E>),
          fail: reject,
        });
      }
    });
  }

  /**
   * Sends a pool request and yields its chunks as they arrive, the last
   * with `finished: true`. Stopping the loop early abandons the request.
   */
  stream<E extends PoolEventName>(
    event: E,
    payload: RequestPayload<E>,
    options: RequestOptions = {},
  ): AsyncIterable<PoolChunk> {
    const queue = new AsyncQueue<PoolChunk>();
    const entry = this.#issue(event, payload, options, {
      chunk: (chunk) => queue.push(chunk),
      done: () => queue.end(),
      fail: (error) => queue.fail(error),
    });
    const abandon = (): Promise<IteratorResult<PoolChunk, undefined>> => {
      if (entry) this.#settle(entry);
      queue.cancel();
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      [Symbol.asyncIterator]: () => ({ next: () => queue.next(), return: abandon }),
    };
  }

  /**
   * Elevates the connection with `token`, or with the `token` option. A
   * token passed here that works is used again after a reconnect when the
   * option supplies none.
   */
  async elevate(
    token?: string,
    options: RequestOptions = {},
  ): Promise<ServerFrameOf<"elevation_return">> {
    const value = token ?? await this.#optionToken();
    if (value === undefined) {
      throw GatewayRequestError.client("no_token", "no token to elevate with");
    }
    const answer = await this.request("request_elevation", { token: value }, options);
    if (answer.result && token !== undefined) this.#elevationToken = token;
    return answer;
  }

  /**
   * Spectates a guild (null stops). The guild is remembered and spectated
   * again after every reconnect, resuming logs after the last event seen.
   */
  spectate(
    guildId: string | null,
    options: SpectateOptions = {},
  ): Promise<ServerFrameOf<"spectate_return">> {
    const target = guildId === null ? null : { guildId, includeLogs: options.includeLogs ?? false };
    this.#spectating = target;
    const payload: RequestPayload<"spectate"> = { guild_id: guildId };
    if (options.includeLogs !== undefined) payload.include_logs = options.includeLogs;
    if (options.since !== undefined) payload.since = options.since;
    return this.request("spectate", payload, options).catch((error: unknown) => {
      // The server refused the guild: restoring it after a reconnect would be refused too.
      if (
        error instanceof GatewayRequestError && error.code !== 0 && this.#spectating === target
      ) this.#spectating = null;
      throw error;
    });
  }

  // -------------------------------------------------------------------------
  // Connection

  #setState(state: ConnectionState, detail: StateDetail, force = false): void {
    if (state === this.#state && !force) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) {
      try {
        listener(state, detail);
      } catch (error) {
        report(error);
      }
    }
  }

  #openSocket(): void {
    this.#retryTimer = undefined;
    let socket: WebSocket;
    try {
      socket = new this.#WebSocket(this.#url);
    } catch (error) {
      // A refused constructor (for example a blocked port) is a failed attempt.
      this.#scheduleRetry({ reason: String(error) });
      return;
    }
    this.#socket = socket;
    socket.addEventListener("open", () => {
      if (this.#socket === socket) void this.#restore(socket);
    });
    socket.addEventListener("message", (event: MessageEvent) => {
      if (this.#socket === socket) this.#receive(event.data);
    });
    socket.addEventListener("close", (event: CloseEvent) => {
      if (this.#socket === socket) this.#lost(event.code, event.reason);
    });
    // A `close` event always follows an `error` one; that is where the work happens.
    socket.addEventListener("error", () => {});
  }

  /** Brings a fresh connection back to where the last one was, then opens the floodgates. */
  async #restore(socket: WebSocket): Promise<void> {
    const current = () => this.#socket === socket && socket.readyState === SOCKET_OPEN;
    await this.#restoreSession(socket);
    if (!current()) return;
    await this.#restoreSpectate(socket);
    if (!current()) return;
    // Re-sent requests go first: they were issued before anything still queued.
    for (const entry of this.#pending.values()) {
      if (entry.resend && !this.#writeEntry(socket, entry)) return;
    }
    while (this.#queue.length > 0) {
      const item = this.#queue[0] as Queued;
      const written = "text" in item
        ? this.#writeText(socket, item.text)
        : this.#writeEntry(socket, item.entry);
      if (!written) return;
      this.#queue.shift();
    }
    this.#everOpened = true;
    this.#setState("open", {});
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => {
      this.#stableTimer = undefined;
      this.#backoff.reset();
    }, this.#resetAfterMs);
  }

  async #restoreSession(socket: WebSocket): Promise<void> {
    let token: string | undefined;
    try {
      token = (await this.#optionToken()) ?? this.#elevationToken;
    } catch {
      // A failing token source leaves the cookie, which `session` reports on.
      token = undefined;
    }
    if (this.#socket !== socket) return;
    if (token !== undefined) {
      try {
        const answer = await this.#internal(socket, "request_elevation", { token });
        if ((answer as ServerFrameOf<"elevation_return">).result) return;
      } catch {
        // Fall through: the cookie may still elevate the connection.
      }
      if (this.#socket !== socket) return;
    }
    try {
      await this.#internal(socket, "session", {});
    } catch {
      // A gateway that cannot answer `session` leaves the connection unelevated.
      this.#elevated = false;
    }
  }

  async #restoreSpectate(socket: WebSocket): Promise<void> {
    const target = this.#spectating;
    if (target === null) return;
    for (const entry of this.#pending.values()) {
      // A caller's spectate still waiting restores the guild itself; a second
      // spectate here would make the server replay the same logs twice.
      if (entry.event === "spectate" && !entry.internal) return;
    }
    const payload: RequestPayload<"spectate"> = {
      guild_id: target.guildId,
      include_logs: target.includeLogs,
    };
    const since = target.includeLogs ? this.#lastLogIds.get(target.guildId) : undefined;
    if (since !== undefined) payload.since = since;
    try {
      await this.#internal(socket, "spectate", payload);
    } catch (error) {
      if (
        error instanceof GatewayRequestError && error.code !== 0 && this.#spectating === target
      ) this.#spectating = null;
    }
  }

  #lost(code: number, reason: string): void {
    this.#socket = null;
    clearTimeout(this.#stableTimer);
    this.#stableTimer = undefined;
    for (const entry of [...this.#pending.values()]) {
      if (!entry.inFlight) continue;
      entry.inFlight = false;
      if (entry.idempotent && !entry.internal) {
        entry.resend = true;
      } else {
        this.#fail(
          entry,
          GatewayRequestError.client("connection_lost", `connection lost (close code ${code})`, {
            seq: entry.seq,
            details: { code, reason },
          }),
        );
      }
    }
    if (!shouldReconnect(code)) {
      this.#terminate({ code, reason });
      return;
    }
    this.#scheduleRetry({ code, reason });
  }

  #scheduleRetry(detail: StateDetail): void {
    const delayMs = this.#backoff.next();
    this.#setState(
      this.#everOpened ? "reconnecting" : "connecting",
      { ...detail, attempt: this.#backoff.attempt, delayMs },
      true,
    );
    this.#retryTimer = setTimeout(() => this.#openSocket(), delayMs);
  }

  #terminate(detail: StateDetail): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#stableTimer);
    this.#retryTimer = undefined;
    this.#stableTimer = undefined;
    this.#queue = [];
    // Elevation belongs to a connection; with none left, nothing is elevated.
    this.#elevated = false;
    this.#userId = null;
    this.#expiresAt = null;
    this.#setState("closed", detail);
    const error = this.#closedError(detail);
    for (const entry of [...this.#pending.values()]) {
      this.#fail(
        entry,
        GatewayRequestError.client("closed", error.message, {
          seq: entry.seq,
          details: error.details,
        }),
      );
    }
  }

  #closedError(detail: StateDetail = {}): GatewayRequestError {
    const details = detail.code === undefined
      ? undefined
      : { code: detail.code, reason: detail.reason ?? "" };
    const message = detail.code === undefined
      ? "the gateway client is closed"
      : `the gateway client is closed (close code ${detail.code})`;
    return GatewayRequestError.client("closed", message, { details });
  }

  // -------------------------------------------------------------------------
  // Requests

  #encode(
    event: ClientEventName,
    payload: object,
    seq: number | undefined,
  ): Record<string, unknown> | GatewayRequestError {
    if (!Object.hasOwn(CLIENT_FRAMES, event)) {
      return GatewayRequestError.client("invalid_payload", `unknown event ${String(event)}`, {
        seq,
      });
    }
    const schema = CLIENT_FRAMES[event] as unknown as FrameSchema;
    const input: Record<string, unknown> = { ...payload, _event: event };
    delete input._seq;
    if (seq !== undefined) input._seq = seq;
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return GatewayRequestError.client(
        "invalid_payload",
        `invalid ${event} payload: ${describeIssues(parsed.error.issues)}`,
        { seq },
      );
    }
    return parsed.data as Record<string, unknown>;
  }

  #issue(
    event: ClientEventName,
    payload: object,
    options: RequestOptions,
    sink: Sink,
    restoring?: WebSocket,
  ): Pending | null {
    if (this.#state === "closed" && restoring === undefined) {
      sink.fail(this.#closedError());
      return null;
    }
    const signal = options.signal;
    if (signal?.aborted) {
      sink.fail(
        GatewayRequestError.client("aborted", "the request was aborted", { cause: signal.reason }),
      );
      return null;
    }
    // Odd ids from 3, as the archit.us client numbers its requests.
    const seq = this.#lastSeq += 2;
    const frame = this.#encode(event, payload, seq);
    if (frame instanceof GatewayRequestError) {
      sink.fail(frame);
      return null;
    }
    const entry: Pending = {
      seq,
      event,
      frame,
      pool: POOL_EVENTS.has(event),
      idempotent: IDEMPOTENT_EVENTS.has(event),
      internal: restoring !== undefined,
      sink,
      writes: 0,
      inFlight: false,
      resend: false,
      seenData: new Set(),
      seenMissing: new Set(),
      timer: undefined,
      detachSignal: undefined,
    };
    if (restoring !== undefined) {
      if (!this.#writeEntry(restoring, entry)) {
        sink.fail(
          GatewayRequestError.client("connection_lost", "the connection closed while restoring", {
            seq,
          }),
        );
        return null;
      }
    } else {
      const socket = this.#state === "open" ? this.#socket : null;
      if (!(socket !== null && this.#writeEntry(socket, entry)) && !this.#enqueue({ entry })) {
        sink.fail(
          GatewayRequestError.client("queue_full", "too many frames wait for the connection", {
            seq,
          }),
        );
        return null;
      }
    }
    this.#pending.set(seq, entry);
    const timeoutMs = options.timeoutMs ?? this.#requestTimeoutMs;
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      entry.timer = setTimeout(() => {
        this.#fail(
          entry,
          GatewayRequestError.client("timeout", `no answer to ${event} within ${timeoutMs} ms`, {
            seq,
          }),
        );
      }, timeoutMs);
    }
    if (signal) {
      const onAbort = () =>
        this.#fail(
          entry,
          GatewayRequestError.client("aborted", "the request was aborted", {
            seq,
            cause: signal.reason,
          }),
        );
      signal.addEventListener("abort", onAbort, { once: true });
      entry.detachSignal = () => signal.removeEventListener("abort", onAbort);
    }
    options.onSeq?.(seq);
    return entry;
  }

  /** A request of the restoring sequence: written at once, past the queue. */
  #internal<E extends ClientEventName>(
    socket: WebSocket,
    event: E,
    payload: RequestPayload<E>,
  ): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      this.#issue(event, payload, {}, {
        chunk: () => {},
        done: (frame) => resolve(frame as ServerFrame),
        fail: reject,
      }, socket);
    });
  }

  #enqueue(item: Queued): boolean {
    if (this.#queue.length >= this.#maxQueued) return false;
    this.#queue.push(item);
    return true;
  }

  #writeText(socket: WebSocket, text: string): boolean {
    if (socket.readyState !== SOCKET_OPEN) return false;
    try {
      socket.send(text);
      return true;
    } catch {
      return false;
    }
  }

  #writeEntry(socket: WebSocket, entry: Pending): boolean {
    const frame = entry.event === "spectate" && entry.writes > 0
      ? this.#withResumePoint(entry.frame)
      : entry.frame;
    if (!this.#writeText(socket, JSON.stringify(frame))) return false;
    entry.writes++;
    entry.inFlight = true;
    entry.resend = false;
    return true;
  }

  /** A re-sent spectate asks for logs after the newest event already seen. */
  #withResumePoint(frame: Record<string, unknown>): Record<string, unknown> {
    const guildId = frame.guild_id;
    if (frame.include_logs !== true || typeof guildId !== "string") return frame;
    const last = this.#lastLogIds.get(guildId);
    if (last === undefined) return frame;
    const since = frame.since;
    if (typeof since === "string" && compareIds(since, last) >= 0) return frame;
    return { ...frame, since: last };
  }

  #settle(entry: Pending): boolean {
    if (this.#pending.get(entry.seq) !== entry) {
      // Never registered (failed while being issued) or already settled.
      return false;
    }
    this.#pending.delete(entry.seq);
    clearTimeout(entry.timer);
    entry.detachSignal?.();
    const index = this.#queue.findIndex((item) => "entry" in item && item.entry === entry);
    if (index >= 0) this.#queue.splice(index, 1);
    return true;
  }

  #fail(entry: Pending, error: GatewayRequestError): void {
    if (this.#settle(entry)) entry.sink.fail(error);
  }

  // -------------------------------------------------------------------------
  // Incoming frames

  #receive(data: unknown): void {
    if (typeof data !== "string") {
      this.#malformed("binary frame; the gateway speaks JSON text", "");
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      this.#malformed("not JSON", data);
      return;
    }
    const parsed = AnyServerFrame.safeParse(value);
    if (!parsed.success) {
      const reason = describeIssues(parsed.error.issues);
      this.#malformed(reason, data);
      // Waiting for a request whose answer was unreadable would only end in a timeout.
      const seq = seqOf(value);
      const entry = seq === undefined ? undefined : this.#pending.get(seq);
      if (entry && entry.inFlight) {
        this.#fail(
          entry,
          GatewayRequestError.client("malformed_response", `unreadable answer: ${reason}`, {
            seq,
          }),
        );
      }
      return;
    }
    const frame = parsed.data as ServerFrame;
    const seq = "seq" in frame ? frame.seq : undefined;
    if (seq !== undefined) {
      const entry = this.#pending.get(seq);
      // No entry: a late answer to a request that timed out or was aborted.
      if (entry && entry.inFlight) this.#answer(entry, frame);
      return;
    }
    this.#push(frame);
  }

  #answer(entry: Pending, frame: ServerFrame): void {
    const seq = entry.seq;
    if (frame._event === "error") {
      this.#fail(entry, GatewayRequestError.fromBody(frame, seq));
      if (entry.internal) this.#emit(frame);
      return;
    }
    if (entry.pool) {
      if (frame._event !== "pool_response") {
        this.#unexpected(entry, frame._event);
        return;
      }
      if (frame.error) {
        this.#fail(entry, GatewayRequestError.fromBody(frame.error, seq));
        return;
      }
      const chunk = this.#fresh(entry, frame);
      if (frame.finished) {
        if (this.#settle(entry)) {
          entry.sink.chunk(chunk);
          entry.sink.done(undefined);
        }
      } else if (entry.writes === 1 || chunk.data.length > 0 || chunk.nonexistent.length > 0) {
        entry.sink.chunk(chunk);
      }
      return;
    }
    if (frame._event !== REPLY_EVENTS[entry.event as ReplyRequestName]) {
      this.#unexpected(entry, frame._event);
      return;
    }
    this.#noteSession(frame);
    if (frame._event === "logs_response" && entry.frame.filter === undefined) {
      // The newest unfiltered history the page holds is a resume point too.
      const newest = frame.events[0];
      if (newest !== undefined) this.noteLogEvent(frame.guild_id, newest.id);
    }
    if (this.#settle(entry)) entry.sink.done(frame);
    // The restoring requests' answers tell the UI, e.g., that logs were not fully recovered.
    if (entry.internal) this.#emit(frame);
  }

  /** Drops what an earlier attempt of a re-sent pool request already delivered. */
  #fresh(entry: Pending, frame: ServerFrameOf<"pool_response">): PoolChunk {
    const resent = entry.writes > 1;
    const data: unknown[] = [];
    for (const item of frame.data) {
      const key = entityKey(item);
      if (resent && entry.seenData.has(key)) continue;
      entry.seenData.add(key);
      data.push(item);
    }
    const nonexistent: string[] = [];
    for (const id of frame.nonexistent) {
      if (resent && entry.seenMissing.has(id)) continue;
      entry.seenMissing.add(id);
      nonexistent.push(id);
    }
    return { data, nonexistent, finished: frame.finished };
  }

  #unexpected(entry: Pending, event: string): void {
    this.#fail(
      entry,
      GatewayRequestError.client(
        "unexpected_response",
        `${entry.event} was answered by ${event}`,
        { seq: entry.seq, details: { event } },
      ),
    );
  }

  #noteSession(frame: ServerFrame): void {
    if (frame._event === "session_return") {
      this.#elevated = frame.elevated;
      this.#userId = frame.user_id;
      this.#expiresAt = frame.expires_at;
    } else if (frame._event === "elevation_return" && frame.result) {
      this.#elevated = true;
      this.#userId = frame.user_id ?? this.#userId;
      this.#expiresAt = frame.expires_at ?? null;
    }
  }

  #push(frame: ServerFrame): void {
    if (frame._event === "log_other") {
      // Ids of one guild only grow; anything not newer is a replay already shown.
      let last = this.#lastLogIds.get(frame.guild_id);
      const events = frame.events.filter((event) => {
        if (last !== undefined && compareIds(event.id, last) <= 0) return false;
        last = event.id;
        return true;
      });
      if (last !== undefined) this.#lastLogIds.set(frame.guild_id, last);
      if (events.length === 0) return;
      if (events.length !== frame.events.length) frame = { ...frame, events };
    } else if (frame._event === "demoted") {
      this.#elevated = false;
      this.#userId = null;
      this.#expiresAt = null;
      // Signed out or expired: the old token must not silently come back on reconnect,
      // and the server already left the guild, so there is nothing to re-spectate.
      this.#elevationToken = undefined;
      this.#spectating = null;
    }
    this.#emit(frame);
  }

  #malformed(reason: string, raw: string): void {
    this.#dispatch("malformed", { reason, raw: raw.slice(0, RAW_LIMIT) });
  }

  #emit(frame: ServerFrame): void {
    this.#dispatch(frame._event, frame);
    this.#dispatch("*", frame);
  }

  #dispatch(event: string, value: unknown): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as (value: unknown) => void)(value);
      } catch (error) {
        report(error);
      }
    }
  }

  async #optionToken(): Promise<string | undefined> {
    const source = this.#tokenSource;
    if (source === undefined || typeof source === "string") return source;
    return await source();
  }
}
