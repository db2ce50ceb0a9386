import { type AsyncMessage, Connection, type Consumer, type Publisher } from "rabbitmq-client";
import { ReplyChannel } from "./_amqp_reply_channel.ts";
import { AmqpDurableLogs } from "./_amqp_durable_log.ts";
import { AmqpClaimTickets } from "./_amqp_claim_tickets.ts";
import {
  type Bus,
  BusError,
  type BusErrorSink,
  type BusHandler,
  type RequestOptions,
  type RpcHandler,
  type Subscription,
} from "./bus.ts";
import { TopicIndex } from "./topic_index.ts";

export interface AmqpBusOptions {
  /** `amqp://user:pass@host:port/vhost` */
  readonly url: string;
  /** The topic exchange events travel on. */
  readonly exchange?: string;
  /** Shown in the broker's management UI. */
  readonly name?: string;
  /**
   * Prefixes the exchange and every queue name (`<ns>.shard_rpc_0`), so
   * separate deployments (or test runs) can share one broker. Empty by
   * default: the plain Architus names.
   */
  readonly namespace?: string;
  /** Reconnect backoff: first step and cap, in milliseconds. */
  readonly retryLowMs?: number;
  readonly retryHighMs?: number;
  /** Told of subscriber faults and connection errors (never of message bodies). */
  readonly onError?: BusErrorSink;
}

interface Sub {
  readonly pattern: string;
  readonly handler: BusHandler;
}

const decoder = new TextDecoder();

function bodyText(body: unknown): string {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  return JSON.stringify(body);
}

/**
 * A `Bus` on RabbitMQ (`rabbitmq-client`, which reconnects and re-declares
 * by itself). Events travel on one topic exchange; the node consumes one
 * exclusive server-named queue and binds it only to the patterns its
 * subscribers hold (reference-counted), so the broker drops what no
 * connection here needs. After a reconnect the queue is new: every binding
 * held at that moment is added again. Requests use direct reply-to with
 * correlation ids; `serve` consumes a named queue, as Architus shards do.
 * TCP no-delay is on: without it every request waits ~40 ms (Nagle).
 */
export class AmqpBus implements Bus {
  readonly #options: AmqpBusOptions;
  readonly #exchange: string;
  readonly #prefix: string;
  #conn: Connection | undefined;
  #events: Consumer | undefined;
  #publisher: Publisher | undefined;
  #rpc: ReplyChannel | undefined;
  #logs: AmqpDurableLogs | undefined;
  #tickets: AmqpClaimTickets | undefined;
  readonly #servers = new Set<Consumer>();
  /** Subscriptions by pattern; a pattern is bound on the broker while it has any. */
  readonly #subs = new TopicIndex<Sub>();
  readonly #onError: BusErrorSink;
  readonly #pending = new Set<(error: BusError) => void>();
  readonly #listeners = new Set<(ready: boolean) => void>();
  readonly #resumeListeners = new Set<() => void>();
  #ready = false;
  #closed = false;
  #watch: ReturnType<typeof setInterval> | undefined;
  /** Times the connection came back after a loss. */
  reconnects = 0;
  #everReady = false;

  constructor(options: AmqpBusOptions) {
    this.#options = options;
    this.#prefix = options.namespace ? `${options.namespace}.` : "";
    this.#exchange = this.#prefix + (options.exchange ?? "architus.gateway");
    this.#onError = options.onError ?? (() => {});
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Patterns currently bound (or to be bound after a reconnect) to this node's queue. */
  get boundPatterns(): number {
    return this.#subs.size;
  }

  onResume(listener: () => void): () => void {
    this.#resumeListeners.add(listener);
    return () => this.#resumeListeners.delete(listener);
  }

  onReadyChange(listener: (ready: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #setReady(ready: boolean): void {
    if (this.#ready === ready) return;
    this.#ready = ready;
    if (!ready) {
      // In-flight requests cannot be answered on this connection: fail them now.
      for (const fail of [...this.#pending]) {
        fail(new BusError("unavailable", "broker connection lost"));
      }
    }
    for (const listener of this.#listeners) listener(ready);
  }

  async start(): Promise<void> {
    if (this.#closed) throw new BusError("closed", "bus is shut down");
    const conn = new Connection({
      url: this.#options.url,
      noDelay: true,
      connectionName: this.#options.name ?? "architus-gateway",
      retryLow: this.#options.retryLowMs ?? 250,
      retryHigh: this.#options.retryHighMs ?? 4000,
      acquireTimeout: 3000,
      connectionTimeout: 5000,
      heartbeat: 10,
    });
    this.#conn = conn;
    // Refused credentials or vhost will not get better by retrying: the first start fails at once.
    const refused = Promise.withResolvers<never>();
    conn.on("error", (error) => {
      // Reconnect attempts follow by themselves; readiness is watched below.
      this.#onError("broker connection error", { error });
      if (/ACCESS_REFUSED|NOT_ALLOWED/.test(String(error?.code ?? error?.message))) {
        refused.reject(error);
      }
    });
    refused.promise.catch(() => {});
    conn.on("connection", () => {
      if (this.#everReady) this.reconnects++;
      this.#everReady = true;
    });
    try {
      await Promise.race([conn.onConnect(10_000, true), refused.promise]);
    } catch (error) {
      await this.shutdown();
      throw new BusError("unavailable", "could not connect to the broker", { cause: error });
    }
    const events = conn.createConsumer({
      queue: "",
      queueOptions: { exclusive: true, autoDelete: true, durable: false },
      exchanges: [{ exchange: this.#exchange, type: "topic", durable: false }],
      noAck: true,
    }, (msg: AsyncMessage) => this.#dispatch(msg));
    this.#events = events;
    events.on("error", (error) => this.#onError("event consumer error", { error }));
    const firstReady = new Promise<void>((resolve) => events.once("ready", resolve));
    let declared = false;
    events.on("ready", () => {
      // A new queue after a loss: tell listeners before its bindings let anything in.
      if (declared) { for (const listener of this.#resumeListeners) listener(); }
      declared = true;
      void this.#rebind();
    });
    this.#publisher = conn.createPublisher({
      exchanges: [{ exchange: this.#exchange, type: "topic", durable: false }],
    });
    this.#rpc = new ReplyChannel(conn);
    this.#logs = new AmqpDurableLogs(conn, { prefix: this.#prefix, onError: this.#onError });
    this.#tickets = new AmqpClaimTickets(conn, {
      prefix: this.#prefix,
      state: () => this.#ready ? "ready" : this.#closed ? "closed" : "unavailable",
    });
    await firstReady;
    this.#watch = setInterval(() => this.#setReady(conn.ready && !this.#closed), 100);
    this.#setReady(true);
  }

  /** After a (re)declared queue: bind every pattern held now. */
  async #rebind(): Promise<void> {
    const queue = this.#events?.queue;
    if (queue === undefined || this.#conn === undefined) return;
    await Promise.all(
      [...this.#subs.patterns()].map((pattern) =>
        this.#conn!.queueBind({ queue, exchange: this.#exchange, routingKey: pattern }).catch(
          (error) => this.#onError("rebind failed", { pattern, error }),
        )
      ),
    );
  }

  #dispatch(msg: AsyncMessage): void {
    const topic = msg.routingKey;
    const body = bodyText(msg.body);
    this.#subs.forEachMatch(topic, (sub) => {
      try {
        sub.handler(topic, body);
      } catch (error) {
        // A subscriber's fault is its own; the others still get the message.
        this.#onError("bus subscriber failed", { topic, error });
      }
    });
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#watch);
    this.#setReady(false);
    for (const fail of [...this.#pending]) fail(new BusError("closed", "bus is shut down"));
    this.#subs.clear();
    const closing: Promise<unknown>[] = [];
    for (const server of this.#servers) closing.push(server.close());
    this.#servers.clear();
    if (this.#events) closing.push(this.#events.close());
    if (this.#publisher) closing.push(this.#publisher.close());
    if (this.#rpc) closing.push(this.#rpc.close());
    if (this.#logs) closing.push(this.#logs.close());
    await Promise.allSettled(closing);
    await this.#conn?.close().catch(() => {});
  }

  async publish(topic: string, body: string): Promise<void> {
    if (!this.#ready || this.#publisher === undefined) {
      throw new BusError(this.#closed ? "closed" : "unavailable", "broker is not connected");
    }
    try {
      await this.#publisher.send({ exchange: this.#exchange, routingKey: topic }, body);
    } catch (error) {
      throw new BusError("unavailable", "publish failed", { cause: error });
    }
  }

  async subscribe(pattern: string, handler: BusHandler): Promise<Subscription> {
    if (this.#closed) throw new BusError("closed", "bus is shut down");
    const sub: Sub = { pattern, handler };
    if (this.#subs.add(pattern, sub)) await this.#bind(pattern);
    let active = true;
    return {
      unsubscribe: async () => {
        if (!active) return;
        active = false;
        if (this.#subs.remove(pattern, sub)) await this.#unbind(pattern);
      },
    };
  }

  async #bind(pattern: string): Promise<void> {
    const queue = this.#events?.queue;
    // While disconnected the binding is only recorded; the rebind after reconnect adds it.
    if (!this.#ready || queue === undefined || queue === "") return;
    try {
      await this.#conn!.queueBind({ queue, exchange: this.#exchange, routingKey: pattern });
    } catch (error) {
      // Lost the connection meanwhile: the rebind after reconnect adds it.
      this.#onError("bind failed", { pattern, error });
    }
  }

  async #unbind(pattern: string): Promise<void> {
    const queue = this.#events?.queue;
    if (!this.#ready || queue === undefined || queue === "") return;
    try {
      await this.#conn!.queueUnbind({ queue, exchange: this.#exchange, routingKey: pattern });
    } catch {
      // The queue goes with the connection; nothing to unbind.
    }
  }

  request(queue: string, body: string, options: RequestOptions): Promise<string> {
    if (this.#closed) return Promise.reject(new BusError("closed", "bus is shut down"));
    if (!this.#ready || this.#rpc === undefined) {
      return Promise.reject(new BusError("unavailable", "broker is not connected"));
    }
    if (options.signal?.aborted) {
      return Promise.reject(new BusError("aborted", "request was cancelled"));
    }
    const rpc = this.#rpc;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const call = rpc.send(this.#prefix + queue, body, options.timeoutMs);
      const finish = (error: BusError | null, reply?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        call.cancel();
        options.signal?.removeEventListener("abort", onAbort);
        this.#pending.delete(fail);
        if (error) reject(error);
        else resolve(reply as string);
      };
      const fail = (error: BusError) => finish(error);
      const onAbort = () => finish(new BusError("aborted", "request was cancelled"));
      const timer = setTimeout(
        () => finish(new BusError("timeout", `${queue} did not answer in time`)),
        options.timeoutMs,
      );
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.add(fail);
      call.reply.then(
        (msg) => finish(null, bodyText(msg.body)),
        (error) => finish(new BusError("unavailable", `${queue} request failed`, { cause: error })),
      );
    });
  }

  async append(log: string, body: string): Promise<void> {
    if (!this.#ready || this.#logs === undefined) {
      throw new BusError(this.#closed ? "closed" : "unavailable", "broker is not connected");
    }
    try {
      await this.#logs.append(log, body);
    } catch (error) {
      throw new BusError("unavailable", "append failed", { cause: error });
    }
  }

  readLog(log: string, handler: BusHandler): Promise<Subscription> {
    if (this.#closed || this.#logs === undefined) {
      return Promise.reject(new BusError("closed", "bus is shut down"));
    }
    return this.#logs.readLog(log, handler);
  }

  stash(name: string, body: string, ttlMs: number): Promise<void> {
    return this.#tickets?.stash(name, body, ttlMs) ??
      Promise.reject(new BusError("closed", "bus is not started"));
  }

  claim(name: string): Promise<string | null> {
    return this.#tickets?.claim(name) ??
      Promise.reject(new BusError("closed", "bus is not started"));
  }

  serve(queue: string, handler: RpcHandler): Promise<Subscription> {
    if (this.#closed || this.#conn === undefined) {
      return Promise.reject(new BusError("closed", "bus is shut down"));
    }
    const server = this.#conn.createConsumer({
      queue: this.#prefix + queue,
      queueOptions: { durable: false },
      qos: { prefetchCount: 64 },
      concurrency: 64,
      requeue: false,
    }, async (msg, reply) => {
      let out: string;
      try {
        out = await handler(bodyText(msg.body));
      } catch (error) {
        this.#onError("rpc handler failed", { queue, error });
        return; // No reply: the caller's deadline ends the call.
      }
      if (msg.replyTo) await reply(out, { contentType: "text/plain" });
    });
    server.on("error", (error) => this.#onError("rpc consumer error", { queue, error }));
    this.#servers.add(server);
    const ready = new Promise<void>((resolve) => server.once("ready", resolve));
    return ready.then(() => ({
      unsubscribe: async () => {
        if (!this.#servers.delete(server)) return;
        await server.close();
      },
    }));
  }
}
