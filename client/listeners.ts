// This module is browser-compatible.

function report(error: unknown): void {
  // A listener's bug must not break the connection, but must not vanish either.
  globalThis.reportError(error);
}

/** Something that tells listeners of `M`'s events. */
export interface Emitter<M> {
  emit<K extends keyof M>(event: K, value: M[K]): void;
}

/** Listeners by event name; one listener's exception never stops the others. */
export class Listeners<M> implements Emitter<M> {
  readonly #byEvent = new Map<keyof M, Set<(value: never) => void>>();

  on<K extends keyof M>(event: K, handler: (value: M[K]) => void): () => void {
    let set = this.#byEvent.get(event);
    if (!set) this.#byEvent.set(event, set = new Set());
    set.add(handler);
    return () => set.delete(handler);
  }

  emit<K extends keyof M>(event: K, value: M[K]): void {
    const set = this.#byEvent.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as (value: M[K]) => void)(value);
      } catch (error) {
        report(error);
      }
    }
  }
}

/** Calls every listener of a plain set, reporting (not throwing) their failures. */
export function callAll<A extends unknown[]>(
  listeners: Iterable<(...args: A) => void>,
  ...args: A
): void {
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (error) {
      report(error);
    }
  }
}
