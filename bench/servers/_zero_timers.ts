/**
 * A bench-only experiment: `setTimeout`s of less than a millisecond run as
 * `setImmediate`. Deno rounds such a timer up to one to two milliseconds,
 * which bounds how often the log relay can flush one guild; this shows what
 * the relay would do with a flush that does not wait for the timer wheel.
 * Timers of a millisecond or more are untouched. Never used by the gateway
 * itself.
 *
 * @module
 */
import { clearImmediate, setImmediate } from "node:timers";

/**
 * The same with `queueMicrotask`: the callback runs at the end of the
 * current task, as the relay would with a microtask flush.
 */
export function installMicrotaskZeroTimers(): void {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const cancelled = new Set<number>();
  let nextId = -1;
  // deno-lint-ignore no-explicit-any
  const patchedSet = (fn: any, delay?: number, ...args: unknown[]): number => {
    if (typeof fn === "function" && (delay === undefined || !(delay >= 1))) {
      const id = nextId--;
      queueMicrotask(() => {
        if (cancelled.delete(id)) return;
        fn(...args);
      });
      return id;
    }
    return realSet(fn, delay, ...args) as unknown as number;
  };
  const patchedClear = (id?: number): void => {
    if (typeof id === "number" && id < 0) {
      cancelled.add(id);
      return;
    }
    realClear(id);
  };
  globalThis.setTimeout = patchedSet as typeof setTimeout;
  globalThis.clearTimeout = patchedClear as typeof clearTimeout;
}

export function installImmediateZeroTimers(): void {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const immediates = new Map<number, ReturnType<typeof setImmediate>>();
  let nextId = -1;
  // deno-lint-ignore no-explicit-any
  const patchedSet = (fn: any, delay?: number, ...args: unknown[]): number => {
    if (typeof fn === "function" && (delay === undefined || !(delay >= 1))) {
      const id = nextId--;
      immediates.set(
        id,
        setImmediate(() => {
          immediates.delete(id);
          fn(...args);
        }),
      );
      return id;
    }
    return realSet(fn, delay, ...args) as unknown as number;
  };
  const patchedClear = (id?: number): void => {
    if (typeof id === "number" && id < 0) {
      const handle = immediates.get(id);
      if (handle !== undefined) clearImmediate(handle);
      immediates.delete(id);
      return;
    }
    realClear(id);
  };
  globalThis.setTimeout = patchedSet as typeof setTimeout;
  globalThis.clearTimeout = patchedClear as typeof clearTimeout;
}
