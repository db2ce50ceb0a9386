import type { Principal } from "../auth/mod.ts";
import type { Category } from "../bus/mod.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import type { Access, ServerFrame } from "../protocol/mod.ts";
import { encodeServerFrame } from "../protocol/mod.ts";
import { CloseCode } from "../protocol/mod.ts";
import type { Transport } from "../transport/mod.ts";
import { InboundLimiter, type InboundLimits } from "./inbound_limiter.ts";

/** What a spectating connection watches and may see. */
export interface Spectating {
  readonly guildId: string;
  readonly access: Access;
  readonly categories: ReadonlySet<Category>;
  /** When the backend last confirmed `access` (ms since the epoch). */
  readonly checkedAt: number;
}

/** The outbound budget of one connection: every frame it is sent counts. */
export interface OutboundLimits {
  /** Above this many unsent bytes, streams wait for the socket (`drained`). */
  readonly softBytes: number;
  /** Above this many unsent bytes the connection is closed as a slow consumer (4009). */
  readonly hardBytes: number;
  /** A stream waiting this long for the socket to drain closes it (4009). */
  readonly slowCloseMs: number;
}

/**
 * Outbound totals shared by the connections of one node, in UTF-8 bytes.
 * A fan-out sends one string to many connections: its byte length is
 * worked out once and reused while the same string is counted again.
 */
export class Traffic {
  framesOut = 0;
  bytesOut = 0;
  #last = "";
  #lastBytes = 0;

  /** Counts one frame; returns its size in bytes. */
  count(text: string): number {
    if (text !== this.#last) {
      this.#last = text;
      this.#lastBytes = utf8Length(text);
    }
    this.framesOut++;
    this.bytesOut += this.#lastBytes;
    return this.#lastBytes;
  }
}

/** The UTF-8 length of `text` without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

export interface ConnectionOptions {
  readonly id: string;
  /** The client's address, as the node admitted it (for limits and logs). */
  readonly peer?: string;
  readonly transport: Transport;
  readonly log: Diagnostics;
  readonly limits: InboundLimits;
  readonly outbound: OutboundLimits;
  /** Totals of every connection of the node, bumped on each send. */
  readonly traffic?: Traffic;
  /** Called once when the server closes this connection, to release what it holds. */
  readonly onTerminate?: () => void;
}

/** Setting timers longer than this overflows; longer expiries are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The unsent bytes are looked at again after this many more bytes were sent. */
const CHECK_EVERY_BYTES = 64 * 1024;
/** How often a stream waiting for the socket looks at it again. */
const DRAIN_POLL_MS = 10;

/**
 * One client connection, owning its state: who it is elevated as and until
 * when, what it spectates, its requests in flight, its inbound limits and
 * what it has sent. Other parts of the node ask it to change (elevate,
 * demote, watch, unwatch) instead of setting its fields. It knows nothing
 * of WebSockets (see `Transport`).
 */
export class Connection {
  readonly id: string;
  readonly transport: Transport;
  readonly log: Diagnostics;
  readonly openedAt: number = Date.now();
  readonly peer: string;
  readonly inbound: InboundLimiter;
  readonly #outbound: OutboundLimits;
  #sentSinceCheck = 0;
  #framesOut = 0;
  #bytesOut = 0;
  #principal: Principal | null = null;
  #spectating: Spectating | null = null;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pending = new Set<AbortController>();
  readonly #traffic: Traffic;
  #onTerminate: (() => void) | undefined;
  #closed = false;
  #active = false;
  #closeCode: number | undefined;
  #inputStopped = false;
  readonly #disposers: Array<() => void> = [];
  /** Spectate changes of this connection run one after another. */
  #changes: Promise<void> = Promise.resolve();

  constructor(options: ConnectionOptions) {
    this.id = options.id;
    this.peer = options.peer ?? "unknown";
    this.transport = options.transport;
    this.log = options.log;
    this.inbound = new InboundLimiter(options.limits);
    this.#outbound = options.outbound;
    this.#traffic = options.traffic ?? new Traffic();
    this.#onTerminate = options.onTerminate;
  }

  get principal(): Principal | null {
    return this.#principal;
  }

  get elevated(): boolean {
    return this.#principal !== null;
  }

  /** The guild this connection watches, with its access there; null when none. */
  get spectating(): Spectating | null {
    return this.#spectating;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The close code the server closed this connection with, if it did. */
  get closeCode(): number | undefined {
    return this.#closeCode;
  }

  /** True once the connection is being closed for what it sent: its frames are no longer read. */
  get inputStopped(): boolean {
    return this.#inputStopped;
  }

  /**
   * Closes for what the client sent (abuse): its further frames are ignored
   * at once, the requests it already made are answered (for at most
   * `graceMs`), then the close handshake starts, so the client receives
   * every answer before the close code.
   */
  async closeAfterPending(code: number, reason: string, graceMs: number): Promise<void> {
    if (this.#inputStopped || this.#closed) return;
    this.#inputStopped = true;
    const deadline = Date.now() + graceMs;
    while (this.#pending.size > 0 && !this.#closed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    this.terminate(code, reason);
  }

  /** True once the connection elevated or asked anything: it is not idle. */
  get active(): boolean {
    return this.#active || this.#principal !== null;
  }

  /** Notes that the connection made a request. */
  markActive(): void {
    this.#active = true;
  }

  /** In-flight requests. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  get framesOut(): number {
    return this.#framesOut;
  }

  get bytesOut(): number {
    return this.#bytesOut;
  }

  /** Sends a frame (serialised here; fan-out paths use `sendText`). */
  send(frame: ServerFrame): void {
    this.sendText(encodeServerFrame(frame));
  }

  /**
   * Sends an already serialised frame. Every frame counts against the
   * connection's budget: past `hardBytes` unsent, the connection is closed
   * as a slow consumer. The unsent amount is looked at every 64 KiB sent,
   * so the fan-out path pays for it rarely.
   */
  sendText(text: string): void {
    if (this.#closed) return;
    this.#framesOut++;
    this.#bytesOut += this.#traffic.count(text);
    this.transport.send(text);
    this.#sentSinceCheck += text.length;
    if (this.#sentSinceCheck < CHECK_EVERY_BYTES) return;
    this.#sentSinceCheck = 0;
    const unsent = this.transport.bufferedAmount;
    if (unsent > this.#outbound.hardBytes) {
      this.log.info("closing slow consumer", { unsent });
      this.terminate(CloseCode.slowConsumer, "slow consumer");
    }
  }

  /** True while more than the soft budget is waiting to be written. */
  get backlogged(): boolean {
    return this.transport.bufferedAmount > this.#outbound.softBytes;
  }

  /**
   * Resolves once the socket has drained below the soft budget (at once
   * when it has). Waiting longer than `slowCloseMs` closes the connection as
   * a slow consumer; a closed connection or an aborted `signal` rejects.
   */
  async drained(signal: AbortSignal): Promise<void> {
    const started = Date.now();
    while (this.backlogged) {
      if (this.#closed || signal.aborted) throw new DOMException("connection gone", "AbortError");
      if (Date.now() - started > this.#outbound.slowCloseMs) {
        this.log.info("closing slow consumer", { unsent: this.transport.bufferedAmount });
        this.terminate(CloseCode.slowConsumer, "slow consumer");
        throw new DOMException("slow consumer", "AbortError");
      }
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    if (this.#closed || signal.aborted) throw new DOMException("connection gone", "AbortError");
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

  /** Drops the elevation (the caller leaves rooms first and tells the client). */
  demote(): void {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    this.#principal = null;
  }

  /** Starts watching a guild (called by the guild rooms as the connection joins). */
  watch(spectating: Spectating): void {
    this.#spectating = spectating;
  }

  /** Stops watching; returns what it watched. */
  unwatch(): Spectating | null {
    const was = this.#spectating;
    this.#spectating = null;
    return was;
  }

  /** Runs `change` after every spectate change queued before it. */
  serially(change: () => Promise<void>): Promise<void> {
    const result = this.#changes.then(change);
    this.#changes = result.catch(() => {});
    return result;
  }

  /** Registers an in-flight request; the returned function unregisters it. */
  track(controller: AbortController): () => void {
    this.#pending.add(controller);
    return () => this.#pending.delete(controller);
  }

  /**
   * Closes the connection from the server side with `code`, and releases
   * it at once: a peer that no longer reads would otherwise hold its rooms
   * until the close handshake it never answers.
   */
  terminate(code: number, reason: string): void {
    this.#closeCode ??= code;
    this.transport.close(code, reason);
    const release = this.#onTerminate;
    this.#onTerminate = undefined;
    release?.();
  }

  /** Runs `release` when the connection ends (timers others keep for it). */
  onDispose(release: () => void): void {
    if (this.#closed) release();
    else this.#disposers.push(release);
  }

  /**
   * Drops a connection whose peer is gone (heartbeat lost): no close
   * handshake to wait for. `code` is what the metrics count it as.
   */
  drop(code: number): void {
    this.#closeCode ??= code;
    this.transport.destroy();
    const release = this.#onTerminate;
    this.#onTerminate = undefined;
    release?.();
  }

  /** Ends the connection: cancels its requests and timers. Idempotent. */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onTerminate = undefined;
    clearTimeout(this.#expiryTimer);
    for (const release of this.#disposers.splice(0)) release();
    for (const controller of this.#pending) controller.abort();
    this.#pending.clear();
  }
}
