import type { Principal } from "../auth/mod.ts";
import type { Backend } from "../backend/backend.ts";
import type { Connection } from "../connection/connection.ts";
import { GatewayError } from "../errors.ts";
import { type Access, accessFor } from "../protocol/mod.ts";

/**
 * Who may do what in a guild: Architus staff (`ARCHITUS_ADMIN_IDS`) may
 * everything everywhere; anyone else gets the tier and permissions that
 * follow from the backend's `is_member` answer.
 */
export class AccessPolicy {
  readonly #backend: Backend;
  readonly #staff: ReadonlySet<string>;

  constructor(options: { backend: Backend; staffIds: ReadonlySet<string> }) {
    this.#backend = options.backend;
    this.#staff = options.staffIds;
  }

  /** True for Architus staff. */
  isStaff(userId: string): boolean {
    return this.#staff.has(userId);
  }

  /** The tier and permissions of `principal` in a guild, from the backend. */
  async of(principal: Principal, guildId: string, signal: AbortSignal): Promise<Access> {
    if (this.isStaff(principal.userId)) return accessFor(null, { staff: true });
    const membership = await this.#backend.isMember(principal.userId, guildId, signal);
    return accessFor(membership, { staff: false });
  }

  /**
   * The access of `principal` to a guild it must be a member of (staff
   * always are). The access of the guild the connection spectates is reused;
   * any other guild is asked of the backend. Non-members get `not_a_member`.
   */
  async member(
    connection: Connection,
    principal: Principal,
    guildId: string,
    signal: AbortSignal,
  ): Promise<Access> {
    const spectating = connection.spectating;
    const access = spectating?.guildId === guildId &&
        connection.principal?.userId === principal.userId
      ? spectating.access
      : await this.of(principal, guildId, signal);
    if (access.tier === "non_member") {
      throw new GatewayError("not_a_member", "not a member of that guild", {
        details: { guild_id: guildId },
      });
    }
    return access;
  }
}
