import type { AccessPolicy } from "../access/access_policy.ts";
import type { Connection } from "../connection/connection.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import type { GuildStreams } from "../streams/guild_streams.ts";

/**
 * Keeps every spectator's access true to the backend. Access is decided at
 * spectate, then decided again:
 * - when the backend says it changed (`guild.<id>.access`, heard by every
 *   node watching the guild), for the user it names or for everyone;
 * - when it is older than `ttlMs`, so that a missed message cannot grant
 *   access for ever (a sweep finds them);
 * - when the connection re-elevates.
 *
 * A member who may no longer watch the guild has the spectate ended with
 * `spectate_ended {reason: "not_a_member"}`; one whose permissions changed
 * gets `access_changed` and from then on only the categories it may see.
 * When the backend cannot answer, the access holds until it is twice
 * `ttlMs` old, then the spectate ends with `access_unverified`.
 */
export class AccessWatch {
  readonly #streams: GuildStreams;
  readonly #policy: AccessPolicy;
  readonly #ttlMs: number;
  readonly #diagnostics: Diagnostics;
  readonly #now: () => number;
  readonly #checking = new Set<Connection>();
  #sweep: ReturnType<typeof setInterval> | undefined;
  /** Re-checks done, and spectates they ended. */
  readonly counters = { rechecks: 0, ended: 0, changed: 0 };

  constructor(
    options: {
      streams: GuildStreams;
      policy: AccessPolicy;
      ttlMs: number;
      diagnostics: Diagnostics;
      now?: () => number;
    },
  ) {
    this.#streams = options.streams;
    this.#policy = options.policy;
    this.#ttlMs = options.ttlMs;
    this.#diagnostics = options.diagnostics;
    this.#now = options.now ?? Date.now;
    this.#streams.onAccessChange((guildId, userId) => this.#onChange(guildId, userId));
  }

  /** Starts the sweep for decisions older than the TTL. */
  start(): void {
    const every = Math.min(5000, Math.max(250, Math.floor(this.#ttlMs / 4)));
    this.#sweep = setInterval(() => this.#sweepExpired(), every);
  }

  stop(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  #onChange(guildId: string, userId: string | null): void {
    for (const member of this.#streams.rooms.members(guildId)) {
      const principal = member.connection.principal;
      if (userId === null || principal?.userId === userId) void this.recheck(member.connection);
    }
  }

  #sweepExpired(): void {
    const now = this.#now();
    for (const member of this.#streams.spectators()) {
      if (now - member.spectating.checkedAt >= this.#ttlMs) void this.recheck(member.connection);
    }
  }

  /** Decides a spectator's access again, after any spectate change queued before. */
  recheck(connection: Connection): Promise<void> {
    if (this.#checking.has(connection)) return Promise.resolve();
    this.#checking.add(connection);
    return connection.serially(() => this.#recheck(connection)).catch((error) => {
      this.#diagnostics.warn("access re-check failed", { sid: connection.id, error });
    }).finally(() => this.#checking.delete(connection));
  }

  async #recheck(connection: Connection): Promise<void> {
    const spectating = connection.spectating;
    const principal = connection.principal;
    if (spectating === null || principal === null || connection.closed) return;
    this.counters.rechecks++;
    let access;
    try {
      access = await this.#policy.of(principal, spectating.guildId, NEVER);
    } catch (error) {
      if (this.#now() - spectating.checkedAt < 2 * this.#ttlMs) return; // try again later
      connection.log.info("access unverified: ending spectate", { error });
      this.counters.ended++;
      await this.#streams.end(connection, "access_unverified");
      return;
    }
    // The connection may have switched guilds, been demoted or closed meanwhile.
    if (
      connection.closed || connection.spectating?.guildId !== spectating.guildId ||
      connection.principal?.userId !== principal.userId
    ) return;
    if (access.tier === "non_member") {
      connection.log.info("access withdrawn: ending spectate", { guild: spectating.guildId });
      this.counters.ended++;
      await this.#streams.end(connection, "not_a_member");
      return;
    }
    const grant = await this.#streams.reaccess(connection, access);
    if (grant === null) return;
    this.counters.changed++;
    connection.send({
      _event: "access_changed",
      guild_id: spectating.guildId,
      tier: access.tier,
      permissions: access.permissions,
      categories: [...grant.categories],
      logs: grant.logs,
    });
  }
}

/** Re-checks are not cancelled by anyone: the backend call has its own deadline. */
const NEVER = new AbortController().signal;
