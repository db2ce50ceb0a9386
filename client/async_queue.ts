// This module is browser-compatible.

interface Waiter<T> {
  resolve(result: IteratorResult<T, undefined>): void;
  reject(error: unknown): void;
}

/**
 * A push-to-pull buffer: a producer pushes items as frames arrive and an
 * `for await` consumer pulls them at its own pace. Items pushed before a
 * failure are still delivered, then the failure is thrown.
 */
export class AsyncQueue<T> {
  #items: T[] = [];
  #waiters: Waiter<T>[] = [];
  #ended = false;
  #failure: { error: unknown } | null = null;

  /** Adds an item; ignored once the queue ended or failed. */
  push(item: T): void {
    if (this.#ended || this.#failure) return;
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve({ value: item, done: false });
    else this.#items.push(item);
  }

  /** Ends the queue after the items already pushed. */
  end(): void {
    if (this.#ended || this.#failure) return;
    this.#ended = true;
    this.#drainWaiters();
  }

  /** Fails the queue after the items already pushed. */
  fail(error: unknown): void {
    if (this.#ended || this.#failure) return;
    this.#failure = { error };
    this.#drainWaiters();
  }

  /** Drops buffered items and ends, for a consumer that stopped early. */
  cancel(): void {
    this.#items = [];
    this.end();
  }

  /** The next item, or `done` once ended; rejects once failed. */
  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#items.length > 0) {
      return Promise.resolve({ value: this.#items.shift() as T, done: false });
    }
    if (this.#failure) {
      const { error } = this.#failure;
      // Thrown once; later calls behave like an ended iterator.
      this.#failure = null;
      this.#ended = true;
      return Promise.reject(error);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #drainWaiters(): void {
    // Items are only buffered while nobody waits, so waiters see no items here.
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#failure) {
        waiter.reject(this.#failure.error);
        this.#failure = null;
        this.#ended = true;
      } else {
        waiter.resolve({ value: undefined, done: true });
      }
    }
  }
}
