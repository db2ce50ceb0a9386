import type { Principal, RevocationCheck } from "../auth/mod.ts";
import {
  type Bus,
  decodeDemote,
  decodeRevocation,
  DEMOTE_TOPIC,
  encodeRevocation,
  REVOCATION_LOG,
  type Subscription,
} from "../bus/mod.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import type { Connections } from "./connections.ts";

/**
 * Sign-outs that revoke. A sign-out is appended to the bus's durable log
 * `gateway.revocations` (`signOut`, `deno task signout`, the REST API's
 * `demote_connection`); every node reads that log from its start, also
 * after a reconnect and when it starts later, so none misses one. Applying
 * a sign-out demotes the user's connections on this node, and from then on
 * their tokens issued at or before it no longer elevate, on any node, until
 * they expire (revocations are kept for `retentionMs`, longer than a token
 * lives). The legacy topic `gateway.demote` is applied the same way, on the
 * nodes that hear it.
 *
 * A node has read the log when it has read back a marker it appended
 * itself: until then it is not ready (`caughtUp`).
 */
export class SignOuts implements RevocationCheck {
  readonly #bus: Bus;
  readonly #connections: Connections;
  readonly #diagnostics: Diagnostics;
  readonly #retentionMs: number;
  readonly #now: () => number;
  /** User id → sign-outs cover tokens issued at or before this time (ms). */
  readonly #revoked = new Map<string, number>();
  readonly #marker = crypto.randomUUID();
  readonly #caughtUp = Promise.withResolvers<void>();
  #isCaughtUp = false;
  #subs: Subscription[] = [];
  readonly counters = { applied: 0, malformed: 0, signedOut: 0 };

  constructor(
    options: {
      bus: Bus;
      connections: Connections;
      diagnostics: Diagnostics;
      retentionMs: number;
      now?: () => number;
    },
  ) {
    this.#bus = options.bus;
    this.#connections = options.connections;
    this.#diagnostics = options.diagnostics;
    this.#retentionMs = options.retentionMs;
    this.#now = options.now ?? Date.now;
  }

  /** Reads the log and listens for legacy sign-outs; resolves once caught up (or after `waitMs`). */
  async start(waitMs = 10_000): Promise<void> {
    this.#subs.push(await this.#bus.readLog(REVOCATION_LOG, (_log, body) => this.#onRecord(body)));
    this.#subs.push(
      await this.#bus.subscribe(DEMOTE_TOPIC, (_topic, body) => this.#onLegacy(body)),
    );
    await this.#bus.append(
      REVOCATION_LOG,
      encodeRevocation({ kind: "marker", marker: this.#marker }),
    );
    const timer = setTimeout(() => this.#caughtUp.resolve(), waitMs);
    await this.#caughtUp.promise;
    clearTimeout(timer);
    if (!this.#isCaughtUp) this.#diagnostics.warn("sign-outs: log not read back in time");
  }

  async stop(): Promise<void> {
    const subs = this.#subs;
    this.#subs = [];
    await Promise.all(subs.map((s) => s.unsubscribe().catch(() => {})));
  }

  /** True once this node has read every sign-out appended before it started. */
  get caughtUp(): boolean {
    return this.#isCaughtUp;
  }

  /** Users with a sign-out in force. */
  get size(): number {
    return this.#revoked.size;
  }

  /** Signs `userId` out everywhere: tokens issued until now stop elevating. */
  async signOut(userId: string): Promise<void> {
    await this.#bus.append(
      REVOCATION_LOG,
      encodeRevocation({ kind: "sign_out", userId, revokedAt: this.#now() }),
    );
  }

  isRevoked(principal: Principal): boolean {
    const revokedAt = this.#revoked.get(principal.userId);
    if (revokedAt === undefined) return false;
    // A token that does not say when it was issued cannot prove it is newer.
    return principal.issuedAt === null || principal.issuedAt <= revokedAt;
  }

  #onRecord(body: string): void {
    const record = decodeRevocation(body);
    if (!record.ok) return this.#malformed("revocation log", record.reason);
    if (record.value.kind === "marker") {
      if (record.value.marker === this.#marker && !this.#isCaughtUp) {
        this.#isCaughtUp = true;
        this.#caughtUp.resolve();
      }
      return;
    }
    this.#apply(record.value.userId, record.value.revokedAt);
  }

  #onLegacy(body: string): void {
    const message = decodeDemote(body);
    if (!message.ok) return this.#malformed(DEMOTE_TOPIC, message.reason);
    this.#apply(message.value.userId, this.#now());
  }

  #malformed(source: string, reason: string): void {
    this.counters.malformed++;
    this.#diagnostics.warn("dropped a malformed sign-out", { source, reason });
  }

  #apply(userId: string, revokedAt: number): void {
    const now = this.#now();
    if (now - revokedAt > this.#retentionMs) return; // every token it covered has expired
    this.counters.applied++;
    const known = this.#revoked.get(userId);
    if (known === undefined || revokedAt > known) this.#revoked.set(userId, revokedAt);
    this.#forgetOld(now);
    for (const connection of this.#connections.ofUser(userId)) {
      const principal = connection.principal;
      if (principal === null || !this.isRevoked(principal)) continue;
      this.counters.signedOut++;
      void this.#connections.demote(connection, "signed_out");
    }
  }

  #forgetOld(now: number): void {
    if (this.#revoked.size < 1024) return;
    for (const [userId, at] of this.#revoked) {
      if (now - at > this.#retentionMs) this.#revoked.delete(userId);
    }
  }
}
