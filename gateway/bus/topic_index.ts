/**
 * Subscribers by topic pattern, so that finding who gets a message costs the
 * same however many patterns a node holds: exact patterns (the usual case:
 * `guild.<id>.log.public`) are one map lookup; patterns with wildcards are
 * kept apart, split into words once, and matched word by word.
 *
 * `add` and `remove` say when a pattern gains its first or loses its last
 * subscriber, which is when a broker binding must be added or removed: the
 * index is the one reference count of a bus's patterns.
 */
export class TopicIndex<T> {
  readonly #exact = new Map<string, Set<T>>();
  readonly #wildcard = new Map<string, { words: readonly string[]; items: Set<T> }>();

  /** Adds `item` under `pattern`; true when it is the pattern's first. */
  add(pattern: string, item: T): boolean {
    if (isExactPattern(pattern)) {
      const set = this.#exact.get(pattern);
      if (set !== undefined) {
        set.add(item);
        return false;
      }
      this.#exact.set(pattern, new Set([item]));
      return true;
    }
    const entry = this.#wildcard.get(pattern);
    if (entry !== undefined) {
      entry.items.add(item);
      return false;
    }
    this.#wildcard.set(pattern, { words: pattern.split("."), items: new Set([item]) });
    return true;
  }

  /** Removes `item` from `pattern`; true when the pattern has none left. */
  remove(pattern: string, item: T): boolean {
    const set = this.#exact.get(pattern) ?? this.#wildcard.get(pattern)?.items;
    if (set === undefined || !set.delete(item)) return false;
    if (set.size > 0) return false;
    this.#exact.delete(pattern);
    this.#wildcard.delete(pattern);
    return true;
  }

  /** Calls `fn` for every item whose pattern matches `topic`. */
  forEachMatch(topic: string, fn: (item: T) => void): void {
    const exact = this.#exact.get(topic);
    if (exact !== undefined) {
      // One subscriber is the hot case: take it without copying the set.
      if (exact.size === 1) fn(exact.values().next().value as T);
      else for (const item of [...exact]) fn(item);
    }
    if (this.#wildcard.size === 0) return;
    const words = topic.split(".");
    for (const entry of [...this.#wildcard.values()]) {
      if (matchWords(entry.words, 0, words, 0)) { for (const item of [...entry.items]) fn(item); }
    }
  }

  /** Every pattern with at least one subscriber. */
  patterns(): IterableIterator<string> {
    return [...this.#exact.keys(), ...this.#wildcard.keys()].values();
  }

  /** Number of distinct patterns held. */
  get size(): number {
    return this.#exact.size + this.#wildcard.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.#exact.clear();
    this.#wildcard.clear();
  }
}

/** True when the AMQP-style topic `pattern` matches `topic`. */
export function topicMatches(pattern: string, topic: string): boolean {
  return matchWords(pattern.split("."), 0, topic.split("."), 0);
}

function matchWords(p: readonly string[], i: number, t: readonly string[], j: number): boolean {
  if (i === p.length) return j === t.length;
  const word = p[i];
  if (word === "#") {
    for (let k = j; k <= t.length; k++) {
      if (matchWords(p, i + 1, t, k)) return true;
    }
    return false;
  }
  if (j === t.length) return false;
  return (word === "*" || word === t[j]) && matchWords(p, i + 1, t, j + 1);
}

/** True when `pattern` has no wildcard word. */
export function isExactPattern(pattern: string): boolean {
  return !/(^|\.)(\*|#)(\.|$)/.test(pattern);
}
