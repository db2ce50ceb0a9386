// This module is browser-compatible.
/**
 * Spreads the first drawing of many views over several tasks of the
 * browser, a few per task, so that a page of history, or a guild opened
 * with a full log, never blocks the page for one long task (on a slow
 * phone, drawing a screenful of rich rows at once takes long enough to
 * delay a tap). A view asks `take()` while it renders: true, it draws now;
 * false, it draws a placeholder and `wait`s, and is called back in a later
 * task, when that task's budget allows.
 *
 * @module
 */

/** Runs `fn` in a later task of the event loop. */
export type Schedule = (fn: () => void) => void;

const nextTask: Schedule = (fn) => void setTimeout(fn, 0);

export class FillQueue {
  readonly perTask: number;
  readonly #schedule: Schedule;
  #used = 0;
  /** A later task is booked: it starts a fresh budget and calls the next waiting views. */
  #booked = false;
  readonly #waiting = new Set<() => void>();

  constructor(perTask: number, schedule: Schedule = nextTask) {
    if (!(perTask >= 1)) throw new RangeError("perTask must be at least 1");
    this.perTask = perTask;
    this.#schedule = schedule;
  }

  /** Whether the caller may draw in this task; a yes counts against its budget. */
  take(): boolean {
    this.#book();
    if (this.#used >= this.perTask) return false;
    this.#used++;
    return true;
  }

  /**
   * Calls `fill` in a later task, once (a view then renders again and
   * takes from that task's budget). Returns the cancel, for a view that
   * goes away first.
   */
  wait(fill: () => void): () => void {
    this.#waiting.add(fill);
    this.#book();
    return () => void this.#waiting.delete(fill);
  }

  /** Views waiting to draw. */
  get waiting(): number {
    return this.#waiting.size;
  }

  #book(): void {
    if (this.#booked) return;
    this.#booked = true;
    this.#schedule(() => this.#turn());
  }

  /** A new task: a fresh budget, offered to as many waiting views as it covers. */
  #turn(): void {
    this.#booked = false;
    this.#used = 0;
    let offered = 0;
    for (const fill of this.#waiting) {
      if (offered++ >= this.perTask) break;
      this.#waiting.delete(fill);
      fill();
    }
    if (this.#waiting.size > 0) this.#book();
  }
}
