// This module is browser-compatible.
import {
  gatewayRequest,
  LIMITS,
  type PoolEntityMap,
  type PoolSlice,
  selectPool,
} from "../../client/mod.ts";
import type { DashboardStore } from "./dashboard_store.ts";
import { loadPool } from "./pool_loader.ts";

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
 * mentions them, all through the dashboard's store (the client library's
 * pool reducer, shared with the entity views). A name not known yet reads
 * as `undefined` and is asked for in the next batch; listeners hear when
 * names arrive.
 */
export class NameDirectory implements NameLookup {
  readonly #store: DashboardStore;
  readonly #guildId: string;
  readonly #wanted = new Set<string>();
  /** Ids of the lookup in flight (at most one): not asked for again while it is under way. */
  readonly #asking = new Set<string>();
  readonly #missing = new Set<string>();
  readonly #listeners = new Set<() => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastLookup = 0;
  #channelsLoaded = false;
  #rolesLoaded = false;
  #stopped = false;
  readonly #unsubscribe: () => void;
  /** Grows whenever names arrive. */
  version = 0;

  constructor(options: { store: DashboardStore; guildId: string }) {
    this.#store = options.store;
    this.#guildId = options.guildId;
    let seen = this.#slices();
    this.#unsubscribe = this.#store.subscribe(() => {
      const now = this.#slices();
      if (now.every((slice, i) => slice === seen[i])) return;
      seen = now;
      this.#notify();
    });
  }

  /** Loads the guild's channels and roles (one request each, shared with the entity views). */
  async loadGuildPools(): Promise<void> {
    const load = async (type: "channel" | "role") => {
      // On failure names stay ids; the log itself is unaffected.
      await loadPool(this.#store, type, this.#guildId);
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
    const member = this.#pool("member").entities[id];
    if (member !== undefined) return { name: member.nick ?? member.name, color: member.color };
    if (this.#missing.has(id)) return null;
    this.want([id]);
    return undefined;
  }

  role(id: string): { name: string; color?: string | null } | null | undefined {
    const role = this.#pool("role").entities[id];
    if (role !== undefined) return { name: role.name, color: role.color };
    return this.#rolesLoaded ? null : undefined;
  }

  channel(id: string): string | null | undefined {
    const channel = this.#pool("channel").entities[id];
    if (channel !== undefined) return channel.name;
    return this.#channelsLoaded ? null : undefined;
  }

  /** Queues member ids for the next batched lookup. */
  want(ids: Iterable<string>): void {
    if (this.#stopped) return;
    for (const id of ids) {
      if (this.#missing.has(id) || this.#wanted.has(id) || this.#asking.has(id)) continue;
      if (this.#pool("member").entities[id] !== undefined) continue;
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
    if (this.#timer !== undefined || this.#asking.size > 0 || this.#stopped) return;
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
    for (const id of batch) {
      this.#wanted.delete(id);
      this.#asking.add(id);
    }
    this.#lastLookup = Date.now();
    let retryMs: number | undefined;
    const outcome = await this.#store.dispatch(
      gatewayRequest("pool_request", { type: "member", guild_id: this.#guildId, ids: batch }),
    );
    this.#asking.clear();
    if (outcome.type === "gateway/request/success") {
      for (const id of outcome.payload.nonexistent) this.#missing.add(id);
    } else if (outcome.payload.error === "rate_limited") {
      for (const id of batch) this.#wanted.add(id);
      retryMs = Math.max(LOOKUP_INTERVAL_MS, (outcome.payload.retryAfter ?? 1) * 1000);
    }
    // Other failures drop the batch; the ids come back the next time they are shown.
    if (this.#stopped) return;
    this.#notify();
    if (this.#wanted.size > 0) this.#schedule(retryMs);
  }

  #pool<T extends "member" | "channel" | "role">(type: T): PoolSlice<PoolEntityMap[T]> {
    return selectPool(this.#store.getState().pools, type, this.#guildId);
  }

  #slices(): PoolSlice<unknown>[] {
    return [this.#pool("member"), this.#pool("channel"), this.#pool("role")];
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
