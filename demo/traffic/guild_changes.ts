import {
  type Bus,
  encodeAccessChange,
  encodePoolUpdate,
  guildAccessTopic,
  guildTopic,
  type PoolUpdate,
} from "../../gateway/bus/mod.ts";
import type { AutoResponse, Member } from "../../gateway/protocol/mod.ts";
import type { AutoResponseChanges } from "../bot_channel.ts";
import type { DemoBackend } from "../demo_backend.ts";

/**
 * Changes to who is in a demo guild and what they may do, applied to the
 * backend's state and published as a shard would: the entity change on
 * `guild.<id>.pool` (spectators see `log_pool`) and, when someone's access
 * may have changed, `guild.<id>.access` so every gateway node re-checks
 * that user's spectators.
 */
export class GuildChanges implements AutoResponseChanges {
  readonly #backend: DemoBackend;
  readonly #bus: Bus;

  constructor(backend: DemoBackend, bus: Bus) {
    this.#backend = backend;
    this.#bus = bus;
  }

  #guild(guildId: string) {
    const guild = this.#backend.guilds.get(guildId);
    if (guild === undefined) throw new RangeError(`no demo guild ${guildId}`);
    return guild;
  }

  /** A member joins (or comes back). */
  async addMember(guildId: string, member: Member): Promise<void> {
    this.#guild(guildId).pools.member.set(member.id, member);
    await this.#publishPool(guildId, {
      type: "member",
      action: "add",
      entity: member,
      id: member.id,
    });
    await this.#publishAccess(guildId, member.id);
  }

  /** A member leaves or is removed: their spectators on every node lose the guild. */
  async removeMember(guildId: string, userId: string): Promise<boolean> {
    if (!this.#guild(guildId).pools.member.delete(userId)) return false;
    await this.#publishPool(guildId, { type: "member", action: "remove", id: userId });
    await this.#publishAccess(guildId, userId);
    return true;
  }

  /** A member's Architus permission bits change (for example VIEW_PRIVATE_LOGS taken away). */
  async setArchitusPermissions(guildId: string, userId: string, bits: number): Promise<void> {
    this.#guild(guildId).architusPermissions.set(userId, bits);
    await this.#publishAccess(guildId, userId);
  }

  /** An auto response is added (`isNew`) or changed, as the bot channel's `!set` does. */
  async putAutoResponse(guildId: string, entity: AutoResponse, isNew: boolean): Promise<void> {
    this.#guild(guildId).pools.auto_response.set(entity.id, entity);
    await this.#publishPool(guildId, {
      type: "auto_response",
      action: isNew ? "add" : "update",
      entity,
      id: entity.id,
    });
  }

  /** An auto response is removed, as the bot channel's `!remove` does. */
  async removeAutoResponse(guildId: string, id: string): Promise<void> {
    if (!this.#guild(guildId).pools.auto_response.delete(id)) return;
    await this.#publishPool(guildId, { type: "auto_response", action: "remove", id });
  }

  async #publishPool(guildId: string, update: PoolUpdate): Promise<void> {
    await this.#bus.publish(guildTopic(guildId, "pool"), encodePoolUpdate(update)).catch(() => {});
  }

  async #publishAccess(guildId: string, userId: string): Promise<void> {
    await this.#bus.publish(guildAccessTopic(guildId), encodeAccessChange({ userId }))
      .catch(() => {});
  }
}
