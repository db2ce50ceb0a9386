// This module is browser-compatible.
import { decorrelatedDelay } from "./backoff.ts";
import type { RequestOptions, RetryOptions } from "./client_types.ts";
import { checkClientFrame, type ClientEventName, type ServerFrame } from "./protocol/mod.ts";
import { GatewayRequestError } from "./request_error.ts";
import { type Entry, freshChunk, retryPolicy, type Sink, writeText } from "./request_entry.ts";
import {
  IDEMPOTENT_EVENTS,
  POOL_EVENTS,
  REPLY_EVENTS,
  type ReplyRequestName,
} from "./request_kinds.ts";

/** What the table needs of its client. */
export interface RequestTableHost {
  /** The socket requests are written to now, or null while the client is not open. */
  socket(): WebSocket | null;
  /** An error while the client is closed (new requests fail with it), else null. */
  closed(): GatewayRequestError | null;
  /** The frame to write when a request is written again (a spectate resumes further on). */
  rewrite(event: ClientEventName, frame: Record<string, unknown>): Record<string, unknown>;
  /** Told every answer of a request before its caller is (`restoring`: the client's own). */
  answered(
    event: ClientEventName,
    frame: ServerFrame,
    request: Record<string, unknown>,
    restoring: boolean,
  ): void;
  /** Told the terminal frames of the client's own restoring requests. */
  restoringAnswered(frame: ServerFrame): void;
}

export { type Sink, writeText };

/** A request written or waiting; the handle `stream()` abandons. */
export type PendingRequest = Pick<Entry, "seq" | "event">;

type Queued = { readonly text: string } | { readonly entry: Entry };

const RETRY_BASE_MS = 250;

/**
 * Every request of a client until its terminal frame: numbers them, writes
 * or queues them, correlates answers by `seq`, enforces deadlines and
 * aborts, retries refusals that say "not now" when asked to, and decides
 * after a lost connection which requests are written again (those safe to
 * repeat) and which fail. Each entry settles exactly once.
 */
export class RequestTable {
  readonly #host: RequestTableHost;
  readonly #timeoutMs: number;
  readonly #maxQueued: number;
  readonly #retry: boolean | RetryOptions | undefined;
  readonly #random: () => number;
  readonly #pending = new Map<number, Entry>();
  #queue: Queued[] = [];
  #lastSeq = 1;

  constructor(
    host: RequestTableHost,
    options: {
      timeoutMs: number;
      maxQueued: number;
      retry?: boolean | RetryOptions;
      random: () => number;
    },
  ) {
    this.#host = host;
    this.#timeoutMs = options.timeoutMs;
    this.#maxQueued = options.maxQueued;
    this.#retry = options.retry;
    this.#random = options.random;
  }

  /** Whether some unsettled request matches. */
  some(predicate: (event: ClientEventName, frame: Record<string, unknown>) => boolean): boolean {
    for (const entry of this.#pending.values()) {
      if (!entry.internal && predicate(entry.event, entry.frame)) return true;
    }
    return false;
  }

  /**
   * Checks, numbers and sends (or queues) a request. With `restoring`, the
   * frame is written on that socket at once, past the queue: the client's
   * own requests that bring a new connection back. Returns null when the
   * request failed at once (its sink was told).
   */
  issue(
    event: ClientEventName,
    payload: object,
    options: RequestOptions,
    sink: Sink,
    restoring?: WebSocket,
  ): PendingRequest | null {
    const closed = this.#host.closed();
    if (closed !== null && restoring === undefined) {
      sink.fail(closed);
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
    const frame: Record<string, unknown> = { ...payload, _event: event, _seq: seq };
    const checked = checkClientFrame(frame);
    if (!checked.ok) {
      sink.fail(
        GatewayRequestError.client(
          "invalid_payload",
          `invalid ${event} payload: ${checked.reason}`,
          {
            seq,
          },
        ),
      );
      return null;
    }
    const idempotent = IDEMPOTENT_EVENTS.has(event);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const limited = timeoutMs > 0 && Number.isFinite(timeoutMs);
    const entry: Entry = {
      seq,
      event,
      frame,
      pool: POOL_EVENTS.has(event),
      idempotent,
      internal: restoring !== undefined,
      sink,
      deadline: limited ? Date.now() + timeoutMs : Infinity,
      retry: idempotent ? retryPolicy(options.retry ?? this.#retry) : null,
      retries: 0,
      retryDelayMs: RETRY_BASE_MS,
      writes: 0,
      inFlight: false,
      resend: false,
      seenData: new Set(),
      seenMissing: new Set(),
      timer: undefined,
      retryTimer: undefined,
      detachSignal: undefined,
    };
    if (restoring !== undefined) {
      if (!this.#write(restoring, entry)) {
        sink.fail(
          GatewayRequestError.client("connection_lost", "the connection closed while restoring", {
            seq,
          }),
        );
        return null;
      }
    } else {
      const socket = this.#host.socket();
      if (!(socket !== null && this.#write(socket, entry)) && !this.#enqueue({ entry })) {
        sink.fail(
          GatewayRequestError.client("queue_full", "too many frames wait for the connection", {
            seq,
          }),
        );
        return null;
      }
    }
    this.#pending.set(seq, entry);
    if (limited) {
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

  /** Queues a frame that expects no answer; false when the queue is full. */
  enqueueText(text: string): boolean {
    return this.#enqueue({ text });
  }

  /** Settles a request without telling its sink (a stream its consumer left). */
  abandon(request: PendingRequest): void {
    const entry = this.#pending.get(request.seq);
    if (entry !== undefined) this.#settle(entry);
  }

  /** Handles a frame carrying `seq`. Late answers (after a timeout or abort) are dropped. */
  receive(frame: ServerFrame, seq: number): void {
    const entry = this.#pending.get(seq);
    if (entry && entry.inFlight) this.#answer(entry, frame);
  }

  /** Fails the request whose answer could not be read: waiting would only end in a timeout. */
  unreadable(seq: number, reason: string): void {
    const entry = this.#pending.get(seq);
    if (!entry || !entry.inFlight) return;
    this.#fail(
      entry,
      GatewayRequestError.client("malformed_response", `unreadable answer: ${reason}`, { seq }),
    );
  }

  /** The connection dropped: requests safe to repeat wait for the next one, the rest fail. */
  lost(code: number, reason: string): void {
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
  }

  /** Writes the requests lost with the last connection, then the queue; false if the socket failed. */
  flush(socket: WebSocket): boolean {
    // Re-sent requests go first: they were issued before anything still queued.
    for (const entry of this.#pending.values()) {
      if (entry.resend && entry.retryTimer === undefined && !this.#write(socket, entry)) {
        return false;
      }
    }
    while (this.#queue.length > 0) {
      const item = this.#queue[0] as Queued;
      const written = "text" in item
        ? writeText(socket, item.text)
        : this.#write(socket, item.entry);
      if (!written) return false;
      this.#queue.shift();
    }
    return true;
  }

  /** Fails every request and drops the queue: the client closed. */
  terminate(error: (seq: number) => GatewayRequestError): void {
    this.#queue = [];
    for (const entry of [...this.#pending.values()]) this.#fail(entry, error(entry.seq));
  }

  #enqueue(item: Queued): boolean {
    if (this.#queue.length >= this.#maxQueued) return false;
    this.#queue.push(item);
    return true;
  }

  #write(socket: WebSocket, entry: Entry): boolean {
    const frame = entry.writes > 0 ? this.#host.rewrite(entry.event, entry.frame) : entry.frame;
    if (!writeText(socket, JSON.stringify(frame))) return false;
    entry.writes++;
    entry.inFlight = true;
    entry.resend = false;
    return true;
  }

  #answer(entry: Entry, frame: ServerFrame): void {
    const seq = entry.seq;
    if (frame._event === "error") {
      this.#refuse(entry, GatewayRequestError.fromBody(frame, seq));
      if (entry.internal) this.#host.restoringAnswered(frame);
      return;
    }
    if (entry.pool) {
      if (frame._event !== "pool_response") return this.#unexpected(entry, frame._event);
      if (frame.error) return this.#refuse(entry, GatewayRequestError.fromBody(frame.error, seq));
      const chunk = freshChunk(entry, frame);
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
      return this.#unexpected(entry, frame._event);
    }
    this.#host.answered(entry.event, frame, entry.frame, entry.internal);
    if (this.#settle(entry)) entry.sink.done(frame);
    // The restoring requests' answers tell the UI, e.g., that logs were not fully recovered.
    if (entry.internal) this.#host.restoringAnswered(frame);
  }

  /** A refusal: retried when it says "not now" and the request asked for it, else a failure. */
  #refuse(entry: Entry, error: GatewayRequestError): void {
    const policy = entry.retry;
    if (policy === null || !error.retryable || entry.retries >= policy.attempts) {
      return this.#fail(entry, error);
    }
    const told = error.retryAfter === undefined ? undefined : error.retryAfter * 1000;
    entry.retryDelayMs = told ??
      decorrelatedDelay(entry.retryDelayMs, RETRY_BASE_MS, policy.maxDelayMs, this.#random);
    const wait = Math.min(policy.maxDelayMs, entry.retryDelayMs);
    if (Date.now() + wait >= entry.deadline) return this.#fail(entry, error);
    entry.retries++;
    entry.inFlight = false;
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      if (this.#pending.get(entry.seq) !== entry) return;
      const socket = this.#host.socket();
      // Not open: the next connection writes it with the other resent requests.
      if (socket === null || !this.#write(socket, entry)) entry.resend = true;
    }, wait);
  }

  #unexpected(entry: Entry, event: string): void {
    this.#fail(
      entry,
      GatewayRequestError.client("unexpected_response", `${entry.event} was answered by ${event}`, {
        seq: entry.seq,
        details: { event },
      }),
    );
  }

  #settle(entry: Entry): boolean {
    if (this.#pending.get(entry.seq) !== entry) {
      // Never registered (failed while being issued) or already settled.
      return false;
    }
    this.#pending.delete(entry.seq);
    clearTimeout(entry.timer);
    clearTimeout(entry.retryTimer);
    entry.detachSignal?.();
    const index = this.#queue.findIndex((item) => "entry" in item && item.entry === entry);
    if (index >= 0) this.#queue.splice(index, 1);
    return true;
  }

  #fail(entry: Entry, error: GatewayRequestError): void {
    if (this.#settle(entry)) entry.sink.fail(error);
  }
}
