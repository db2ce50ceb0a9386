// This module is browser-compatible.
import { GatewayRequestError, LIMITS, type PoolCache, type PoolChange } from "../../client/mod.ts";

/** A resolved mention: `undefined` while unknown, `null` when it does not exist. */
export interface NameLookup {
  member(id: string): { readonly name: string; readonly color?: string | null } | null | undefined;
  role(id: string): { readonly name: string; readonly color?: string | null } | null | undefined;
  channel(id: string): string | null | undefined;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A colour safe to put in a style property, or undefined. */
export function safeColor(color: string | null | undefined): string | undefined {
  return color && HEX_COLOR.test(color) && color !== "#000000" ? color : undefined;
}

/**
 * Time between two member lookups. The gateway refills a connection's
 * request budget at 2 frames a second; a busy log must not spend it all on
 * names, so lookups are batched (up to 1,000 ids each) and spaced out.
 */
const LOOKUP_INTERVAL_MS = 750;
/** The first lookup waits only this long, to gather a batch. */
const FIRST_LOOKUP_MS = 60;

/**
 * Names of one guild's members, channels and roles for the log viewer:
 * channels and roles are loaded whole once, members by id as the log
 * mentions them, through the shared `PoolCache` (attached to the client). A name not known yet reads
 * as `undefined` and is asked for in the next batch; listeners hear when
 * names arrive.
 */
export class NameDirectory implements NameLookup {
  readonly #cache: PoolCache;
  readonly #guildId: string;
  readonly #wanted = new Set<string>();
  readonly #missing = new Set<string>();
  readonly #listeners = new Set<() => void>();
  #inFlight = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastLookup = 0;
  #channelsLoaded = false;
  #rolesLoaded = false;
  #stopped = false;
  readonly #unsubscribe: () => void;
  /** Grows whenever names arrive. */
  version = 0;

  /** `cache` must be attached to the client (its requests go through it). */
  constructor(options: { cache: PoolCache; guildId: string }) {
    this.#cache = options.cache;
    this.#guildId = options.guildId;
    this.#unsubscribe = this.#cache.subscribe((change: PoolChange) => {
      if (change.guildId !== this.#guildId) return;
      if (change.type === "member" || change.type === "channel" || change.type === "role") {
        this.#notify();
      }
    });
  }

  /** Loads the guild's channels and roles (one request each, shared through the cache). */
  async loadGuildPools(): Promise<void> {
    const load = async (type: "channel" | "role") => {
      try {
        await this.#cache.all(type, this.#guildId);
      } catch {
        // Names then stay ids; the log itself is unaffected.
      }
      if (type === "channel") this.#channelsLoaded = true;
      else this.#rolesLoaded = true;
      this.#notify();
    };
    await Promise.all([load("channel"), load("role")]);
  }

  /** Calls `listener` when names arrive; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  member(id: string): { name: string; color?: string | null } | null | undefined {
    const member = this.#cache.entity("member", this.#guildId, id);
    if (member !== undefined) return { name: member.nick ?? member.name, color: member.color };
    if (this.#missing.has(id)) return null;
    this.want([id]);
    return undefined;
  }

  role(id: string): { name: string; color?: string | null } | null | undefined {
    const role = this.#cache.entity("role", this.#guildId, id);
    if (role !== undefined) return { name: role.name, color: role.color };
    return this.#rolesLoaded ? null : undefined;
  }

  channel(id: string): string | null | undefined {
    const channel = this.#cache.entity("channel", this.#guildId, id);
    if (channel !== undefined) return channel.name;
    return this.#channelsLoaded ? null : undefined;
  }

  /** Queues member ids for the next batched lookup. */
  want(ids: Iterable<string>): void {
    if (this.#stopped) return;
    for (const id of ids) {
      if (this.#missing.has(id) || this.#wanted.has(id)) continue;
      if (this.#cache.entity("member", this.#guildId, id) !== undefined) continue;
      this.#wanted.add(id);
    }
    if (this.#wanted.size > 0) this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe();
    this.#listeners.clear();
  }

  #schedule(delayMs?: number): void {
    if (this.#timer !== undefined || this.#inFlight || this.#stopped) return;
    const wait = delayMs ??
      (this.#lastLookup === 0
        ? FIRST_LOOKUP_MS
        : Math.max(FIRST_LOOKUP_MS, this.#lastLookup + LOOKUP_INTERVAL_MS - Date.now()));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#lookup();
    }, wait);
  }

  async #lookup(): Promise<void> {
    const batch: string[] = [];
    for (const id of this.#wanted) {
      if (batch.length === LIMITS.idsPerRequest) break;
      batch.push(id);
    }
    if (batch.length === 0) return;
    for (const id of batch) this.#wanted.delete(id);
    this.#inFlight = true;
    this.#lastLookup = Date.now();
    let retryMs: number | undefined;
    try {
      const found = await this.#cache.get("member", this.#guildId, batch);
      for (const id of found.nonexistent) this.#missing.add(id);
    } catch (error) {
      if (error instanceof GatewayRequestError && error.error === "rate_limited") {
        for (const id of batch) this.#wanted.add(id);
        retryMs = Math.max(LOOKUP_INTERVAL_MS, (error.retryAfter ?? 1) * 1000);
      }
      // Other failures drop the batch; the ids come back the next time they are shown.
    } finally {
      this.#inFlight = false;
    }
    if (this.#stopped) return;
    this.#notify();
    if (this.#wanted.size > 0) this.#schedule(retryMs);
  }

  #notify(): void {
    this.version++;
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        globalThis.reportError(error);
      }
    }
  }
}
