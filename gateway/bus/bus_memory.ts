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
import { MemoryClaimTickets } from "./_memory_claim_tickets.ts";

interface Sub {
  readonly pattern: string;
  readonly handler: BusHandler;
}

/**
 * An in-process bus for the embedded mode and tests. Messages are delivered
 * asynchronously (a microtask after publish), in publish order. Several
 * `MemoryBus` instances may share one `MemoryBroker`, like gateway nodes
 * sharing one RabbitMQ broker.
 */
export class MemoryBroker {
  readonly #subs = new TopicIndex<Sub>();
  readonly #servers = new Map<string, RpcHandler[]>();
  readonly #logs = new Map<string, { records: string[]; readers: Set<BusHandler> }>();
  readonly #queue: Array<[string, string]> = [];
  #flushScheduled = false;
  #nextServer = 0;
  readonly #onError: BusErrorSink;
  /** Claim tickets every bus on this broker shares. */
  readonly tickets: MemoryClaimTickets = new MemoryClaimTickets();
  /** Messages delivered to subscribers, for tests and metrics. */
  delivered = 0;

  constructor(options: { onError?: BusErrorSink } = {}) {
    this.#onError = options.onError ?? (() => {});
  }

  add(sub: Sub): void {
    this.#subs.add(sub.pattern, sub);
  }

  remove(sub: Sub): void {
    this.#subs.remove(sub.pattern, sub);
  }

  publish(topic: string, body: string): void {
    this.#queue.push([topic, body]);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#queue.splice(0);
    for (const [topic, body] of batch) {
      this.#subs.forEachMatch(topic, (sub) => this.#deliver(sub, topic, body));
    }
  }

  #deliver(sub: Sub, topic: string, body: string): void {
    this.delivered++;
    try {
      sub.handler(topic, body);
    } catch (error) {
      // A subscriber's fault is its own; other subscribers still get the message.
      this.#onError("bus subscriber failed", { topic, error });
    }
  }

  #log(name: string) {
    let log = this.#logs.get(name);
    if (log === undefined) this.#logs.set(name, log = { records: [], readers: new Set() });
    return log;
  }

  /** Appends to a durable log; its readers get the record asynchronously, in order. */
  append(name: string, body: string): void {
    const log = this.#log(name);
    log.records.push(body);
    for (const reader of log.readers) queueMicrotask(() => this.#read(reader, name, body));
  }

  /** Adds a reader: every record so far (asynchronously), then each new one. */
  readLog(name: string, reader: BusHandler): () => void {
    const log = this.#log(name);
    const past = [...log.records];
    log.readers.add(reader);
    queueMicrotask(() => {
      for (const body of past) if (log.readers.has(reader)) this.#read(reader, name, body);
    });
    return () => log.readers.delete(reader);
  }

  #read(reader: BusHandler, name: string, body: string): void {
    try {
      reader(name, body);
    } catch (error) {
      this.#onError("log reader failed", { log: name, error });
    }
  }

  serve(queue: string, handler: RpcHandler): void {
    const list = this.#servers.get(queue) ?? [];
    list.push(handler);
    this.#servers.set(queue, list);
  }

  unserve(queue: string, handler: RpcHandler): void {
    const list = (this.#servers.get(queue) ?? []).filter((h) => h !== handler);
    if (list.length === 0) this.#servers.delete(queue);
    else this.#servers.set(queue, list);
  }

  server(queue: string): RpcHandler | undefined {
    const list = this.#servers.get(queue);
    if (list === undefined || list.length === 0) return undefined;
    return list[this.#nextServer++ % list.length];
  }
}

/** A `Bus` over a `MemoryBroker` (its own broker unless one is given). */
export class MemoryBus implements Bus {
  readonly broker: MemoryBroker;
  #ready = false;
  #closed = false;
  readonly #subs = new Set<Sub>();
  readonly #served = new Set<[string, RpcHandler]>();
  readonly #readers = new Set<() => void>();
  readonly #pending = new Set<AbortController>();
  readonly #listeners = new Set<(ready: boolean) => void>();

  constructor(broker: MemoryBroker = new MemoryBroker()) {
    this.broker = broker;
  }

  get ready(): boolean {
    return this.#ready;
  }

  start(): Promise<void> {
    if (this.#closed) return Promise.reject(new BusError("closed", "bus is shut down"));
    this.#setReady(true);
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.#closed = true;
    for (const sub of this.#subs) this.broker.remove(sub);
    this.#subs.clear();
    for (const [queue, handler] of this.#served) this.broker.unserve(queue, handler);
    this.#served.clear();
    for (const stop of this.#readers) stop();
    this.#readers.clear();
    for (const controller of this.#pending) {
      controller.abort(new BusError("closed", "bus is shut down"));
    }
    this.#setReady(false);
    return Promise.resolve();
  }

  onResume(_listener: () => void): () => void {
    return () => {}; // nothing is ever lost in memory
  }

  onReadyChange(listener: (ready: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #setReady(ready: boolean): void {
    if (this.#ready === ready) return;
    this.#ready = ready;
    for (const listener of this.#listeners) listener(ready);
  }

  publish(topic: string, body: string): Promise<void> {
    if (!this.#ready) return Promise.reject(new BusError("unavailable", "bus is not ready"));
    this.broker.publish(topic, body);
    return Promise.resolve();
  }

  subscribe(pattern: string, handler: BusHandler): Promise<Subscription> {
    if (this.#closed) return Promise.reject(new BusError("closed", "bus is shut down"));
    const sub: Sub = { pattern, handler };
    this.#subs.add(sub);
    this.broker.add(sub);
    return Promise.resolve({
      unsubscribe: () => {
        this.#subs.delete(sub);
        this.broker.remove(sub);
        return Promise.resolve();
      },
    });
  }

  async request(queue: string, body: string, options: RequestOptions): Promise<string> {
    if (!this.#ready) throw new BusError("unavailable", "bus is not ready");
    const handler = this.broker.server(queue);
    if (handler === undefined) throw new BusError("unavailable", `no service on ${queue}`);
    const controller = new AbortController();
    this.#pending.add(controller);
    const timer = setTimeout(
      () => controller.abort(new BusError("timeout", `${queue} did not answer in time`)),
      options.timeoutMs,
    );
    const onAbort = () => controller.abort(new BusError("aborted", "request was cancelled"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (options.signal?.aborted) throw new BusError("aborted", "request was cancelled");
      return await new Promise<string>((resolve, reject) => {
        controller.signal.addEventListener("abort", () => reject(controller.signal.reason), {
          once: true,
        });
        // The server sees a copy of the body, as it would over a wire.
        queueMicrotask(() => {
          handler(body).then(
            resolve,
            () => reject(new BusError("unavailable", `${queue} failed to answer`)),
          );
        });
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      this.#pending.delete(controller);
    }
  }

  append(log: string, body: string): Promise<void> {
    if (!this.#ready) return Promise.reject(new BusError("unavailable", "bus is not ready"));
    this.broker.append(log, body);
    return Promise.resolve();
  }

  readLog(log: string, handler: BusHandler): Promise<Subscription> {
    if (this.#closed) return Promise.reject(new BusError("closed", "bus is shut down"));
    const stop = this.broker.readLog(log, handler);
    this.#readers.add(stop);
    return Promise.resolve({
      unsubscribe: () => {
        this.#readers.delete(stop);
        stop();
        return Promise.resolve();
      },
    });
  }

  stash(name: string, body: string, ttlMs: number): Promise<void> {
    if (!this.#ready) return Promise.reject(new BusError("unavailable", "bus is not ready"));
    this.broker.tickets.stash(name, body, ttlMs);
    return Promise.resolve();
  }

  claim(name: string): Promise<string | null> {
    if (!this.#ready) return Promise.reject(new BusError("unavailable", "bus is not ready"));
    return Promise.resolve(this.broker.tickets.claim(name));
  }

  serve(queue: string, handler: RpcHandler): Promise<Subscription> {
    if (this.#closed) return Promise.reject(new BusError("closed", "bus is shut down"));
    const entry: [string, RpcHandler] = [queue, handler];
    this.#served.add(entry);
    this.broker.serve(queue, handler);
    return Promise.resolve({
      unsubscribe: () => {
        this.#served.delete(entry);
        this.broker.unserve(queue, handler);
        return Promise.resolve();
      },
    });
  }
}
