// This module is browser-compatible.
import { Backoff } from "./backoff.ts";
import type { ClientCore } from "./client_core.ts";
import type {
  ConnectionState,
  GatewayClientOptions,
  StateDetail,
  StateListener,
} from "./client_types.ts";
import type { Inbound } from "./inbound.ts";
import { callAll } from "./listeners.ts";
import { CloseCode, shouldReconnect } from "./protocol/mod.ts";
import { GatewayRequestError } from "./request_error.ts";
import type { Restorer } from "./restorer.ts";

const SOCKET_OPEN = 1;
const SOCKET_CLOSED = 3;
/** After a close for rate-limit abuse (4008), the gateway asks for a pause. */
const ABUSE_PAUSE_MS = 1_000;

/** The error of a closed client, with the close code that closed it. */
export function closedError(detail: StateDetail = {}): GatewayRequestError {
  const details = detail.code === undefined
    ? undefined
    : { code: detail.code, reason: detail.reason ?? "" };
  const message = detail.code === undefined
    ? "the gateway client is closed"
    : `the gateway client is closed (close code ${detail.code})`;
  return GatewayRequestError.client("closed", message, { details });
}

/**
 * The life of a client's connection: opens sockets, restores each new one
 * before calling it `open`, and after a drop retries with decorrelated
 * jitter until it is back, or stops for good on a terminal close code.
 */
export class SocketCycle {
  readonly #url: string;
  readonly #WebSocket: typeof WebSocket;
  readonly #backoff: Backoff;
  readonly #resetAfterMs: number;
  readonly #core: ClientCore;
  readonly #restorer: Restorer;
  readonly #inbound: Inbound;
  readonly #stateListeners = new Set<StateListener>();

  #state: ConnectionState = "idle";
  #socket: WebSocket | null = null;
  #everOpened = false;
  #lostAt: number | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stableTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    options: {
      url: string;
      WebSocket: typeof WebSocket;
      backoff: GatewayClientOptions["backoff"];
      random: () => number;
    },
    parts: { core: ClientCore; restorer: Restorer; inbound: Inbound },
  ) {
    this.#url = options.url;
    this.#WebSocket = options.WebSocket;
    this.#backoff = new Backoff({ ...options.backoff, random: options.random });
    this.#resetAfterMs = options.backoff?.resetAfterMs ?? 5_000;
    this.#core = parts.core;
    this.#restorer = parts.restorer;
    this.#inbound = parts.inbound;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The socket, open or opening, or null. */
  get socket(): WebSocket | null {
    return this.#socket;
  }

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

  reconnectNow(): void {
    if (this.#state !== "open") return this.connect();
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(CloseCode.normal, "reconnect");
    this.#dropped(CloseCode.normal, "reconnect");
    this.#setState("reconnecting", { code: CloseCode.normal, reason: "reconnect", attempt: 1 });
    this.#openSocket();
  }

  close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = null;
    if (this.#state !== "closed") this.#terminate({ reason: "closed by the client" });
    if (socket === null || socket.readyState === SOCKET_CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      socket.addEventListener("close", () => resolve(), { once: true });
      socket.close(CloseCode.normal);
    });
  }

  ready(): Promise<void> {
    if (this.#state === "open") return Promise.resolve();
    if (this.#state === "closed") return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      const off = this.onState((state) => {
        if (state === "open") {
          off();
          resolve();
        } else if (state === "closed") {
          off();
          reject(closedError());
        }
      });
    });
  }

  onState(listener: StateListener): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  #setState(state: ConnectionState, detail: StateDetail, force = false): void {
    if (state === this.#state && !force) return;
    this.#state = state;
    callAll(this.#stateListeners, state, detail);
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
      if (this.#socket === socket) this.#inbound.receive(event.data);
    });
    socket.addEventListener("close", (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#dropped(event.code, event.reason);
      const detail = { code: event.code, reason: event.reason };
      if (shouldReconnect(event.code)) this.#scheduleRetry(detail);
      else this.#terminate(detail);
    });
    // A `close` event always follows an `error` one; that is where the work happens.
    socket.addEventListener("error", () => {});
  }

  /** Brings a fresh connection back to where the last one was, then opens the floodgates. */
  async #restore(socket: WebSocket): Promise<void> {
    const current = () => this.#socket === socket && socket.readyState === SOCKET_OPEN;
    await this.#restorer.session(socket);
    if (!current()) return;
    const subscribed = await this.#restorer.spectate(socket);
    if (!current() || !this.#core.requests.flush(socket)) return;
    const reconnected = this.#everOpened;
    const attempts = this.#backoff.attempt;
    this.#everOpened = true;
    this.#setState("open", {});
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => {
      this.#stableTimer = undefined;
      this.#backoff.reset();
    }, this.#resetAfterMs);
    if (reconnected) {
      const session = this.#core.session;
      this.#core.events.emit("resumed", {
        attempts,
        downtimeMs: this.#lostAt === null ? 0 : Date.now() - this.#lostAt,
        elevated: session.elevated,
        userId: session.userId,
        guildId: subscribed?.guild_id ?? null,
        recovered: subscribed?.recovered,
        replayed: subscribed?.replayed,
      });
    }
    this.#lostAt = null;
  }

  /** The connection is gone: settle what was in flight on it. */
  #dropped(code: number, reason: string): void {
    this.#lostAt ??= Date.now();
    clearTimeout(this.#stableTimer);
    this.#stableTimer = undefined;
    this.#core.requests.lost(code, reason);
  }

  #scheduleRetry(detail: StateDetail): void {
    let delayMs = this.#backoff.next();
    if (detail.code === CloseCode.rateLimited) delayMs = Math.max(delayMs, ABUSE_PAUSE_MS);
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
    this.#core.session.clear();
    this.#setState("closed", detail);
    const error = closedError(detail);
    this.#core.requests.terminate((seq) =>
      GatewayRequestError.client("closed", error.message, { seq, details: error.details })
    );
  }
}
