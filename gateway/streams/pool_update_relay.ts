import { decodePoolUpdate } from "../bus/mod.ts";
import type { PoolType } from "../protocol/mod.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import { ArchitusPermission, hasPermission } from "../protocol/mod.ts";
import type { GuildRooms, RoomMember } from "./guild_rooms.ts";

/**
 * Relays entity changes (`guild.<id>.pool` messages from the backend) to
 * the guild's spectators as `log_pool` pushes. The frame is serialised once;
 * settings values reach only connections holding VIEW_SETTINGS.
 */
export class PoolUpdateRelay {
  readonly #rooms: GuildRooms;
  readonly #log: Diagnostics;
  /** Updates relayed and updates dropped as malformed. */
  relayed = 0;
  malformed = 0;
  readonly #listeners: Array<(guildId: string, type: PoolType) => void> = [];

  constructor(rooms: GuildRooms, log: Diagnostics) {
    this.#rooms = rooms;
    this.#log = log;
  }

  /** Observes every change relayed (caches of pool answers drop what it made stale). */
  onUpdate(listener: (guildId: string, type: PoolType) => void): void {
    this.#listeners.push(listener);
  }

  deliver(guildId: string, body: string): void {
    const decoded = decodePoolUpdate(body);
    if (!decoded.ok) {
      this.malformed++;
      this.#log.warn("dropped a malformed pool update", { guild: guildId, reason: decoded.reason });
      return;
    }
    const update = decoded.value;
    for (const listener of this.#listeners) listener(guildId, update.type);
    const frame = JSON.stringify({
      _event: "log_pool",
      guild_id: guildId,
      type: update.type,
      action: update.action,
      ...(update.entity !== undefined ? { entity: update.entity } : {}),
      id: update.id,
    });
    const needsSettings = update.type === "setting_value";
    for (const member of this.#rooms.members(guildId)) {
      if (!mayReceive(member, needsSettings)) continue;
      member.connection.sendText(frame);
      this.relayed++;
    }
  }
}

function mayReceive(member: RoomMember, needsSettings: boolean): boolean {
  const s = member.spectating;
  if (!s.categories.has("pool")) return false;
  return !needsSettings || hasPermission(s.access.permissions, ArchitusPermission.VIEW_SETTINGS);
}
