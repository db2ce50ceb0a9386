import type { Principal } from "../auth/mod.ts";
import type { Diagnostics } from "../diagnostics.ts";
import type { Access, ServerFrame } from "../protocol/mod.ts";
import { encodeServerFrame } from "../protocol/mod.ts";
import type { Category } from "../bus/mod.ts";
import type { Transport } from "../transport/mod.ts";
import { RateLimiter } from "./rate_limiter.ts";
import type { LogDelivery } from "../logs/log_delivery.ts";

/** What a spectating connection watches and may see. */
export interface Spectating {
  readonly guildId: string;
  readonly access: Access;
  readonly categories: ReadonlySet<Category>;
}

/** Outbound totals shared by the sessions of one node. */
export interface Traffic {
  framesOut: number;
  bytesOut: number;
}

/** Setting timers longer than this overflows; longer expiries are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One client connection: its identity, what it spectates, its in-flight
 * requests and its inbound rate limit. The gateway drives it; it knows
 * nothing of WebSockets (see `Transport`).
 */
export class Session {
  readonly id: string;
  readonly transport: Transport;
  readonly log: Diagnostics;
  readonly rate: RateLimiter;
  readonly openedAt: number = Date.now();
  /** Consecutive frames refused by the rate limiter. */
  strikes = 0;
  framesIn = 0;
  framesOut = 0;
  bytesOut = 0;
  #principal: Principal | null = null;
  #spectating: Spectating | null = null;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pending = new Set<AbortController>();
  readonly #traffic: Traffic;
  #closed = false;
  /** The log stream of the spectated guild, when logs were granted. */
  logs: LogDelivery | null = null;
  /** Called once when the server closes this connection (set by the gateway). */
  onTerminate: (() => void) | undefined;
  /** Serialises spectate changes of this connection. */
  spectateChain: Promise<void> = Promise.resolve();

  constructor(
    options: {
      id: string;
      transport: Transport;
      log: Diagnostics;
      rateLimit: { burst: number; perSecond: number };
      /** Totals of every session of the node, bumped on each send. */
      traffic?: Traffic;
    },
  ) {
    this.id = options.id;
    this.transport = options.transport;
    this.log = options.log;
    this.rate = new RateLimiter(options.rateLimit);
    this.#traffic = options.traffic ?? { framesOut: 0, bytesOut: 0 };
  }

  get principal(): Principal | null {
    return this.#principal;
  }

  get elevated(): boolean {
    return this.#principal !== null;
  }

  get spectating(): Spectating | null {
    return this.#spectating;
  }

  set spectating(value: Spectating | null) {
    this.#spectating = value;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** In-flight requests. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends a frame (serialised here; fan-out paths use `sendText`). */
  send(frame: ServerFrame): void {
    this.sendText(encodeServerFrame(frame));
  }

  /** Sends an already serialised frame. */
  sendText(text: string): void {
    if (this.#closed) return;
    this.framesOut++;
    this.bytesOut += text.length;
    this.#traffic.framesOut++;
    this.#traffic.bytesOut += text.length;
    this.transport.send(text);
  }

  /**
   * Elevates to `principal` and arms its expiry: `onExpire` runs when the
   * token runs out, however long the connection lives.
   */
  elevate(principal: Principal, onExpire: () => void): void {
    this.#principal = principal;
    this.#armExpiry(principal.expiresAt, onExpire);
  }

  #armExpiry(expiresAt: number, onExpire: () => void): void {
    clearTimeout(this.#expiryTimer);
    const wait = expiresAt - Date.now();
    this.#expiryTimer = setTimeout(() => {
      if (Date.now() >= expiresAt) onExpire();
      else this.#armExpiry(expiresAt, onExpire);
    }, Math.max(0, Math.min(wait, MAX_TIMER_MS)));
  }

  /**
   * Closes the connection from the server side with `code`, and releases
   * it at once: a peer that no longer reads would otherwise hold its rooms
   * until the close handshake it never answers.
   */
  terminate(code: number, reason: string): void {
    this.transport.close(code, reason);
    const release = this.onTerminate;
    this.onTerminate = undefined;
    release?.();
  }

  /** Drops the elevation (the caller leaves rooms and tells the client). */
  demote(): void {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    this.#principal = null;
  }

  /** Registers an in-flight request; the returned function unregisters it. */
  track(controller: AbortController): () => void {
    this.#pending.add(controller);
    return () => this.#pending.delete(controller);
  }

  /** Ends the session: cancels its requests and timers. Idempotent. */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#expiryTimer);
    for (const controller of this.#pending) controller.abort();
    this.#pending.clear();
  }
}
