import type { Diagnostics } from "./diagnostics.ts";
import { ArchitusPermission, hasPermission, PoolTypeName } from "./protocol/mod.ts";
import type { Hub } from "./rooms/hub.ts";
import type { Session } from "./session/session.ts";

/**
 * Relays entity changes (`guild.<id>.pool` messages from the backend) to
 * the guild's spectators as `log_pool` pushes. The frame is serialised once;
 * settings values reach only connections holding VIEW_SETTINGS.
 */
export class PoolUpdateRelay {
  readonly #hub: Hub;
  readonly #log: Diagnostics;
  /** Updates relayed and updates dropped as malformed. */
  relayed = 0;
  malformed = 0;

  constructor(hub: Hub, log: Diagnostics) {
    this.#hub = hub;
    this.#log = log;
  }

  deliver(guildId: string, body: string): void {
    let update: { type?: unknown; action?: unknown; entity?: unknown; id?: unknown };
    try {
      update = JSON.parse(body);
    } catch {
      this.#dropMalformed(guildId);
      return;
    }
    const type = PoolTypeName.safeParse(update.type);
    const action = update.action;
    const id = update.id;
    if (
      !type.success || (action !== "add" && action !== "update" && action !== "remove") ||
      typeof id !== "string"
    ) {
      this.#dropMalformed(guildId);
      return;
    }
    const frame = JSON.stringify({
      _event: "log_pool",
      guild_id: guildId,
      type: type.data,
      action,
      ...(action !== "remove" && update.entity !== undefined ? { entity: update.entity } : {}),
      id,
    });
    const needsSettings = type.data === "setting_value";
    for (const session of this.#hub.spectators(guildId)) {
      if (!mayReceive(session, needsSettings)) continue;
      session.sendText(frame);
      this.relayed++;
    }
  }

  #dropMalformed(guildId: string): void {
    this.malformed++;
    this.#log.warn("dropped a malformed pool update", { guild: guildId });
  }
}

function mayReceive(session: Session, needsSettings: boolean): boolean {
  const s = session.spectating;
  if (s === null || !s.categories.has("pool")) return false;
  return !needsSettings || hasPermission(s.access.permissions, ArchitusPermission.VIEW_SETTINGS);
}
