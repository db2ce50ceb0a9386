import type { PoolType } from "../protocol/mod.ts";
import type { PoolChunks } from "./pool_chunks.ts";

/** Which answer: a guild's whole pool of one type (members: online only, or all). */
export interface PoolAnswerKey {
  readonly guildId: string;
  readonly type: PoolType;
  readonly online: boolean;
}

/**
 * Whole guild pools, serialised once and shared for a short time: any
 * number of requests for the Big Guild's 10,000 members cost one backend
 * call and one serialisation, and requests waiting on a slow socket hold
 * references to the same strings, not copies. Concurrent requests for one
 * answer share one load; a failed load is forgotten at once. Entity changes
 * of a guild (`log_pool`) drop its answers of that type, so a spectator
 * never gets an answer older than a change it was pushed; other readers get
 * answers at most `ttlMs` old. Access is checked per request before an
 * answer is asked for: the cache only holds data every member may read.
 */
export class PoolAnswerCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { at: number; answer: Promise<PoolChunks> }>();

  constructor(options: { ttlMs: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The answer for `key`, loading it with `load` when there is no fresh one. */
  get(key: PoolAnswerKey, load: () => Promise<PoolChunks>): Promise<PoolChunks> {
    const id = keyOf(key);
    const now = this.#now();
    const entry = this.#entries.get(id);
    if (entry !== undefined && now - entry.at < this.#ttlMs) return entry.answer;
    this.#sweep(now);
    const answer = load();
    this.#entries.set(id, { at: now, answer });
    answer.catch(() => {
      if (this.#entries.get(id)?.answer === answer) this.#entries.delete(id);
    });
    return answer;
  }

  /** Drops the answers of a guild's pool of `type` (after a change). */
  invalidate(guildId: string, type: PoolType): void {
    this.#entries.delete(keyOf({ guildId, type, online: false }));
    this.#entries.delete(keyOf({ guildId, type, online: true }));
  }

  /** Answers held (fresh or not yet swept). */
  get size(): number {
    return this.#entries.size;
  }

  #sweep(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now - entry.at >= this.#ttlMs) this.#entries.delete(id);
    }
  }
}

function keyOf(key: PoolAnswerKey): string {
  return `${key.type}:${key.guildId}:${key.online ? 1 : 0}`;
}
