import type { Bus, BusHandler, Subscription } from "../bus/mod.ts";

/**
 * Reference-counted bus subscriptions: the first `acquire` of a topic
 * subscribes, the last `release` unsubscribes. Operations on one topic run
 * one after another, so an unsubscribe never overtakes a later subscribe.
 */
export class BindingCounter {
  readonly #bus: Bus;
  readonly #handler: BusHandler;
  readonly #counts = new Map<string, number>();
  readonly #subs = new Map<string, Subscription>();
  readonly #chains = new Map<string, Promise<void>>();
  readonly #onError: (error: unknown, topic: string) => void;

  constructor(
    bus: Bus,
    handler: BusHandler,
    onError: (error: unknown, topic: string) => void = () => {},
  ) {
    this.#bus = bus;
    this.#handler = handler;
    this.#onError = onError;
  }

  /** Topics currently held, with their counts. */
  get held(): ReadonlyMap<string, number> {
    return this.#counts;
  }

  /** Takes a reference; resolves once the subscription is in place. */
  acquire(topic: string): Promise<void> {
    const count = (this.#counts.get(topic) ?? 0) + 1;
    this.#counts.set(topic, count);
    if (count === 1) {
      return this.#enqueue(topic, async () => {
        this.#subs.set(topic, await this.#bus.subscribe(topic, this.#handler));
      });
    }
    return this.#chains.get(topic) ?? Promise.resolve();
  }

  /** Drops a reference; the last one unsubscribes. */
  release(topic: string): Promise<void> {
    const count = (this.#counts.get(topic) ?? 0) - 1;
    if (count < 0) return Promise.resolve();
    if (count > 0) {
      this.#counts.set(topic, count);
      return Promise.resolve();
    }
    this.#counts.delete(topic);
    return this.#enqueue(topic, async () => {
      const sub = this.#subs.get(topic);
      this.#subs.delete(topic);
      await sub?.unsubscribe();
    });
  }

  #enqueue(topic: string, op: () => Promise<void>): Promise<void> {
    const previous = this.#chains.get(topic) ?? Promise.resolve();
    const next = previous.then(op).catch((error) => this.#onError(error, topic));
    this.#chains.set(topic, next);
    void next.then(() => {
      if (this.#chains.get(topic) === next) this.#chains.delete(topic);
    });
    return next;
  }
}
