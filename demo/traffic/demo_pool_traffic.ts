import { type Bus, encodePoolUpdate, guildTopic, type PoolUpdate } from "../../gateway/bus/mod.ts";
import type { AutoResponse, Member } from "../../gateway/protocol/mod.ts";
import { HoarFrostGenerator } from "../../gateway/protocol/mod.ts";
import type { DemoBackend } from "../demo_backend.ts";
import type { GuildState } from "../guild_state.ts";
import type { GuildChanges } from "./guild_changes.ts";

const VISITOR_NAMES = ["wanderer", "newcomer", "lurker", "guest", "traveller", "drifter"];
const TRIGGERS = ["gm", "gn", "pog", "ty", "brb", "lol", "welcome", "ping"];

/**
 * Makes the demo guilds feel alive: now and then a member joins or leaves,
 * an auto response is added or removed. Each change is applied to the
 * backend's state and published as a pool update, so spectators see
 * `log_pool` pushes; a member who leaves is also an access change.
 */
export class DemoPoolTraffic {
  readonly #backend: DemoBackend;
  readonly #bus: Bus;
  readonly #changes: GuildChanges;
  readonly #ids = new HoarFrostGenerator({ node: 2 });
  #timer: ReturnType<typeof setInterval> | undefined;
  #tick = 0;

  constructor(backend: DemoBackend, bus: Bus, changes: GuildChanges) {
    this.#backend = backend;
    this.#bus = bus;
    this.#changes = changes;
  }

  /** Starts one round of changes every `intervalMs`. */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.step(), intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One change in every guild; resolves once they are published. */
  async step(): Promise<void> {
    const n = this.#tick++;
    const updates: Array<Promise<void>> = [];
    for (const guild of this.#backend.guilds.values()) {
      if (n % 2 === 0) {
        updates.push(this.#memberChange(guild, n));
        continue;
      }
      const update = this.#autoResponseChange(guild, n);
      if (update !== null) {
        updates.push(
          this.#bus.publish(guildTopic(guild.id, "pool"), encodePoolUpdate(update)).catch(() => {}),
        );
      }
    }
    await Promise.all(updates);
  }

  async #memberChange(guild: GuildState, n: number): Promise<void> {
    const visitors = [...guild.pools.member.values()].filter((m) => m.name.startsWith("visitor-"));
    if (visitors.length > 0 && n % 4 === 2) {
      await this.#changes.removeMember(guild.id, (visitors[0] as Member).id);
      return;
    }
    const id = this.#ids.next();
    const name = `visitor-${VISITOR_NAMES[n % VISITOR_NAMES.length]}-${n}`;
    const member: Member = {
      id,
      name,
      nick: null,
      avatar: null,
      discriminator: String(1000 + (n % 9000)),
      roles: [],
      color: null,
      joined_at: new Date().toISOString(),
      status: "online",
    };
    await this.#changes.addMember(guild.id, member);
  }

  #autoResponseChange(guild: GuildState, n: number): PoolUpdate | null {
    const added = [...guild.pools.auto_response.keys()].filter((id) =>
      guild.pools.auto_response.get(id)?.trigger.startsWith("demo-")
    );
    if (added.length > 0 && n % 6 === 5) {
      const id = added[0] as string;
      guild.pools.auto_response.delete(id);
      return { type: "auto_response", action: "remove", id };
    }
    const trigger = `demo-${TRIGGERS[n % TRIGGERS.length]}`;
    const id = this.#ids.next();
    const entity: AutoResponse = {
      id,
      trigger,
      response: `automatic reply #${n}`,
      author_id: guild.ownerId,
      guild_id: guild.id,
      trigger_regex: trigger,
      trigger_punctuation: "",
      response_tokens: [["text", `automatic reply #${n}`]],
      count: 0,
      mode: "naive",
    };
    guild.pools.auto_response.set(id, entity);
    return { type: "auto_response", action: "add", entity, id };
  }
}
