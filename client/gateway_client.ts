// This module is browser-compatible.
import { AsyncQueue } from "./async_queue.ts";
import { type ClientCore, emitFrame } from "./client_core.ts";
import type {
  ConnectionState,
  GatewayClientOptions,
  GatewayEventMap,
  RequestOptions,
  SpectateOptions,
  SpectateTarget,
  StateListener,
  Subscription,
} from "./client_types.ts";
import { Inbound } from "./inbound.ts";
import { Listeners } from "./listeners.ts";
import { LogCursor } from "./log_cursor.ts";
import {
  checkClientFrame,
  type ClientEventName,
  type PoolType,
  type ServerFrameOf,
} from "./protocol/mod.ts";
import { GatewayRequestError } from "./request_error.ts";
import type {
  PoolChunk,
  PoolEntityOf,
  PoolEventName,
  PoolResult,
  RequestPayload,
  RequestResult,
} from "./request_kinds.ts";
import { RequestTable, writeText } from "./request_table.ts";
import { Restorer } from "./restorer.ts";
import { SessionKeeper } from "./session_keeper.ts";
import { closedError, SocketCycle } from "./socket_cycle.ts";
import { toSocketUrl } from "./socket_url.ts";
import { SpectateKeeper } from "./spectate_keeper.ts";

/**
 * The connection to the Architus gateway: correlates answers to requests
 * by `seq`, reconnects with jittered backoff, and on every new connection
 * restores elevation and spectate (resuming logs after the last event),
 * re-sends requests that are safe to repeat and fails the rest, so no
 * request waits forever. When the gateway says a token expired and the
 * `token` option is a function, it re-elevates and re-spectates by itself.
 */
export class GatewayClient {
  readonly #core: ClientCore;
  readonly #cycle: SocketCycle;

  constructor(options: GatewayClientOptions) {
    const url = toSocketUrl(options.url);
    const socketClass = options.WebSocket ?? globalThis.WebSocket;
    if (typeof socketClass !== "function") {
      // Failing here beats retrying forever against a missing constructor.
      throw new TypeError("no WebSocket implementation; pass options.WebSocket");
    }
    const random = options.random ?? Math.random;
    const cursor = new LogCursor();
    const events = new Listeners<GatewayEventMap>();
    const spectate = new SpectateKeeper(cursor, events);
    const requests = new RequestTable({
      socket: () => this.#cycle.state === "open" ? this.#cycle.socket : null,
      closed: () => this.#cycle.state === "closed" ? closedError() : null,
      rewrite: (event, frame) => event === "spectate" ? spectate.resumed(frame) : frame,
      answered: (_event, frame, request, restoring) => inbound.answered(frame, request, restoring),
      restoringAnswered: (frame) => emitFrame(this.#core, frame),
    }, {
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      maxQueued: options.maxQueuedFrames ?? 100,
      retry: options.retry,
      random,
    });
    const session = new SessionKeeper(options.token);
    this.#core = { session, spectate, requests, cursor, events, socket: () => this.#cycle.socket };
    const restorer = new Restorer(this.#core);
    const inbound = new Inbound(this.#core, restorer);
    this.#cycle = new SocketCycle(
      { url, WebSocket: socketClass, backoff: options.backoff, random },
      { core: this.#core, restorer, inbound },
    );
  }

  get state(): ConnectionState {
    return this.#cycle.state;
  }

  /** Whether the gateway last said this connection is elevated. */
  get elevated(): boolean {
    return this.#core.session.elevated;
  }

  get userId(): string | null {
    return this.#core.session.userId;
  }

  /** When the elevation ends, in milliseconds since the Unix epoch. */
  get expiresAt(): number | null {
    return this.#core.session.expiresAt;
  }

  /** The guild restored on reconnect (also while it waits for a re-elevation), or null. */
  get spectating(): SpectateTarget | null {
    return this.#core.spectate.target;
  }

  /** What the gateway granted for the guild spectated now; null while none is. */
  get subscription(): Subscription | null {
    return this.#core.spectate.subscription;
  }

  /**
   * Moves the guild's resume point forward to `id` (never back): the next
   * re-spectate asks the server for events after it. `log_other` pushes and
   * unfiltered `logs_response` pages move it by themselves.
   */
  noteLogEvent(guildId: string, id: string): void {
    this.#core.cursor.note(guildId, id);
  }

  /** The id of the newest `log_other` event seen for a guild. */
  lastLogEventId(guildId: string): string | undefined {
    return this.#core.cursor.last(guildId);
  }

  /** Starts connecting; while waiting to retry, retries at once. */
  connect(): void {
    this.#cycle.connect();
  }

  /**
   * Reconnects now: while waiting to retry, retries at once; while open,
   * drops the connection and opens a new one, restoring the session as
   * after any drop. For the network coming back or a page returning to the
   * foreground. Does nothing once closed.
   */
  reconnectNow(): void {
    this.#cycle.reconnectNow();
  }

  /**
   * Closes for good: fails every outstanding request with `closed` and stops
   * retrying. Resolves once the socket has finished closing.
   */
  close(): Promise<void> {
    return this.#cycle.close();
  }

  /** Resolves when the state is next `open`; rejects if it becomes `closed` first. */
  ready(): Promise<void> {
    return this.#cycle.ready();
  }

  /** Calls `listener` on every state change; returns the unsubscribe function. */
  onState(listener: StateListener): () => void {
    return this.#cycle.onState(listener);
  }

  /**
   * Listens to server frames that answer no request of this client (pushes,
   * `mock_bot_event` after `send()`, uncorrelated `error` frames, and the
   * answers to the client's own restoring requests), to `"*"` for all of
   * them, or to the client's own events (`resumed`, `subscribed`,
   * `unsubscribed`, `elevation_lost`, `malformed`). Returns the unsubscribe
   * function.
   */
  on<K extends keyof GatewayEventMap>(
    event: K,
    handler: (value: GatewayEventMap[K]) => void,
  ): () => void {
    return this.#core.events.on(event, handler);
  }

  /**
   * Sends a frame that expects no correlated answer (no `_seq`). Queued while
   * not open. Returns false when the queue is full or the client is closed.
   * Throws a `GatewayRequestError` (`invalid_payload`) for a malformed payload.
   */
  send<E extends ClientEventName>(event: E, payload: RequestPayload<E>): boolean {
    if (this.state === "closed") return false;
    const frame: Record<string, unknown> = { ...payload, _event: event };
    delete frame._seq;
    const checked = checkClientFrame(frame);
    if (!checked.ok) {
      const message = `invalid ${event} payload: ${checked.reason}`;
      throw GatewayRequestError.client("invalid_payload", message);
    }
    const text = JSON.stringify(frame);
    const socket = this.#cycle.socket;
    if (this.state === "open" && socket !== null && writeText(socket, text)) return true;
    return this.#core.requests.enqueueText(text);
  }

  /**
   * Sends a request and resolves its answer: for pool requests every chunk's
   * entities (typed by the pool's `type`) and `nonexistent` ids
   * concatenated, otherwise the terminal frame. Rejects with a
   * `GatewayRequestError`.
   */
  request<E extends PoolEventName, T extends PoolType>(
    event: E,
    payload: RequestPayload<E> & { readonly type: T },
    options?: RequestOptions,
  ): Promise<PoolResult<PoolEntityOf<E, { type: T }>>>;
  request<E extends ClientEventName>(
    event: E,
    payload: RequestPayload<E>,
    options?: RequestOptions,
  ): Promise<RequestResult<E>>;
  request(event: ClientEventName, payload: object, options: RequestOptions = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const result: PoolResult = { data: [], nonexistent: [] };
      this.#core.requests.issue(event, payload, options, {
        chunk: (chunk) => {
          // A loop, not push(...spread): a member pool can exceed the argument limit.
          for (const item of chunk.data) result.data.push(item);
          for (const id of chunk.nonexistent) result.nonexistent.push(id);
        },
        done: (frame) => resolve(frame ?? result),
        fail: reject,
      });
    });
  }

  /**
   * Sends a pool request and yields its chunks as they arrive, the last
   * with `finished: true`. Stopping the loop early abandons the request.
   */
  stream<E extends PoolEventName, T extends PoolType>(
    event: E,
    payload: RequestPayload<E> & { readonly type: T },
    options: RequestOptions = {},
  ): AsyncIterable<PoolChunk<PoolEntityOf<E, { type: T }>>> {
    type Entity = PoolEntityOf<E, { type: T }>;
    const queue = new AsyncQueue<PoolChunk<Entity>>();
    const requests = this.#core.requests;
    const pending = requests.issue(event, payload, options, {
      chunk: (chunk) => queue.push(chunk as PoolChunk<Entity>),
      done: () => queue.end(),
      fail: (error) => queue.fail(error),
    });
    const abandon = () => {
      if (pending !== null) requests.abandon(pending);
      queue.cancel();
      return Promise.resolve({ value: undefined, done: true as const });
    };
    return {
      [Symbol.asyncIterator]: () => ({ next: () => queue.next(), return: abandon }),
    };
  }

  /**
   * Elevates the connection with `token`, or with the `token` option.
   * Rejects with `invalid_token` (401) when the gateway refuses the token,
   * and with `no_token` when there is none. A token passed here that works
   * is used again after a reconnect when the option supplies none; a
   * spectate the gateway ended at a demotion is restored.
   */
  async elevate(
    token?: string,
    options: RequestOptions = {},
  ): Promise<ServerFrameOf<"elevation_return">> {
    const session = this.#core.session;
    const value = token ?? await session.token();
    if (value === undefined) {
      throw GatewayRequestError.client("no_token", "no token to elevate with");
    }
    const answer = await this.request("request_elevation", { token: value }, options);
    if (!answer.result) {
      throw GatewayRequestError.server("invalid_token", answer.message, {
        seq: answer.seq,
        details: { message: answer.message },
      });
    }
    if (token !== undefined) session.remember(token);
    if (this.#core.spectate.suspended) void this.#respectate();
    return answer;
  }

  /**
   * Spectates a guild (null stops). Once the gateway accepts, the guild is
   * spectated again after every reconnect, resuming logs after the last
   * event seen; a refusal leaves the guild spectated before as it was.
   */
  async spectate(
    guildId: string | null,
    options: SpectateOptions = {},
  ): Promise<ServerFrameOf<"spectate_return">> {
    const payload: RequestPayload<"spectate"> = { guild_id: guildId };
    if (options.includeLogs !== undefined) payload.include_logs = options.includeLogs;
    if (options.since !== undefined) payload.since = options.since;
    try {
      return await this.request("spectate", payload, options);
    } catch (error) {
      this.#core.spectate.refused(guildId, error);
      throw error;
    }
  }

  /** Restores a spectate the gateway ended at a demotion, once elevated again. */
  async #respectate(): Promise<void> {
    const payload = this.#core.spectate.restorePayload();
    if (payload === null) return;
    try {
      await this.request("spectate", payload);
    } catch (error) {
      this.#core.spectate.refused(payload.guild_id, error);
    }
  }
}
