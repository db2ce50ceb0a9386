/**
 * Called for each message on a subscribed topic. It should not throw; if it
 * does, the bus reports the error to its `onError` and goes on.
 */
export type BusHandler = (topic: string, body: string) => void;

/** Answers one request; the returned string is the reply body. */
export type RpcHandler = (body: string) => Promise<string>;

/** A live subscription or served queue; `unsubscribe` is idempotent. */
export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface RequestOptions {
  /** Deadline for the reply, in milliseconds. */
  readonly timeoutMs: number;
  /** Aborting rejects the call at once (for example when the client left). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The message bus between gateway nodes and backend services: topic
 * publish/subscribe for events, and queue request/response for RPC.
 *
 * Guarantees every implementation keeps (see `testing/bus_contract.ts`):
 * - publish is at-most-once; messages of one publisher on one topic arrive
 *   in publish order;
 * - a subscriber receives only topics its pattern matches (AMQP topic
 *   syntax: words split by `.`, `*` is one word, `#` zero or more);
 * - `request` settles exactly once: the reply, or a `BusError` no later
 *   than its deadline; it never hangs;
 * - a durable log is read in append order, from its start, by every reader;
 * - a stashed claim ticket is claimed at most once, and not after its TTL;
 * - handlers run on the caller's event loop and may be called concurrently
 *   with other methods.
 */
export interface Bus {
  /** Connects. Resolves once ready, or rejects when the first connect fails for good. */
  start(): Promise<void>;
  /** Releases every subscription and connection; pending requests reject. */
  shutdown(): Promise<void>;
  /** True while the bus can carry messages. */
  readonly ready: boolean;
  /** Observes readiness changes; returns a function that stops observing. */
  onReadyChange(listener: (ready: boolean) => void): () => void;
  /**
   * Observes resumptions: the bus lost its connection and is back. The
   * listener runs before any message published since the loss reaches a
   * subscriber, so a subscriber can mark what it may have missed before the
   * next message; messages published while the bus was away are lost. An
   * in-memory bus never loses one. Returns a function that stops observing.
   */
  onResume(listener: () => void): () => void;
  /** Publishes `body` on `topic`. */
  publish(topic: string, body: string): Promise<void>;
  /** Subscribes `handler` to every topic matching `pattern`. */
  subscribe(pattern: string, handler: BusHandler): Promise<Subscription>;
  /** Sends a request to the service behind `queue` and resolves with its reply. */
  request(queue: string, body: string, options: RequestOptions): Promise<string>;
  /** Serves requests sent to `queue`; several servers of one queue share the work. */
  serve(queue: string, handler: RpcHandler): Promise<Subscription>;
  /**
   * Appends `body` to the durable log `log`. Resolves once the bus holds it:
   * every reader of the log, now or later, reads it (within the log's
   * retention), also one that was disconnected when it was appended.
   */
  append(log: string, body: string): Promise<void>;
  /**
   * Reads the durable log `log` from its start, then as it grows. After a
   * reconnect it reads from the start again, so `handler` must be
   * idempotent (applying a record twice changes nothing).
   */
  readLog(log: string, handler: BusHandler): Promise<Subscription>;
  /**
   * Stashes `body` under `name` as a claim ticket for `ttlMs`. Resolves once
   * the bus holds it, so any node may `claim` it from then on. The first
   * stash of a name wins for its whole TTL: stashing the same name again,
   * while it waits or after it was claimed, changes nothing (a re-sent
   * request cannot arm a spent ticket again).
   */
  stash(name: string, body: string, ttlMs: number): Promise<void>;
  /**
   * Takes the ticket `name`: its body, exactly once over every bus on the
   * broker, or null when there is none (never stashed, already claimed, or
   * past its TTL). Concurrent claims on several nodes get it at most once.
   */
  claim(name: string): Promise<string | null>;
}

export type BusErrorKind = "timeout" | "unavailable" | "aborted" | "closed";

/** A request that could not be answered. Messages never contain bodies. */
export class BusError extends Error {
  readonly kind: BusErrorKind;
  constructor(kind: BusErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BusError";
    this.kind = kind;
  }
}

/** Where a bus reports what it cannot hand to anyone: a subscriber that threw, a lost connection. */
export type BusErrorSink = (message: string, fields: Record<string, unknown>) => void;
