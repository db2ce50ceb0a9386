import type { Bus } from "../../gateway/bus/mod.ts";
import { guildTopic } from "../../gateway/bus/mod.ts";
import type { LogEvent } from "../../gateway/protocol/mod.ts";
import type { DemoBackend } from "../demo_backend.ts";
import type { GuildState } from "../guild_state.ts";
import { LogEventFactory } from "./_log_event_factory.ts";

const TICK_MS = 20;

/**
 * The demo log stream: `rate` events per second spread over the demo
 * guilds, each appended to the backend's history and published on the
 * guild's `log.public` or `log.private` topic. Consecutive events of the
 * same privacy travel in one message, and runs are published in id order,
 * so a node receives one guild's events in order across both topics.
 */
export class DemoLogTraffic {
  readonly #backend: DemoBackend;
  readonly #bus: Bus;
  readonly #factory: LogEventFactory;
  #timer: ReturnType<typeof setInterval> | undefined;
  #carry = 0;
  #turn = 0;
  /** Events published so far. */
  published = 0;

  constructor(backend: DemoBackend, bus: Bus, options: { node?: number } = {}) {
    this.#backend = backend;
    this.#bus = bus;
    this.#factory = new LogEventFactory({ node: options.node ?? 1 });
  }

  /** Starts publishing `rate` events per second in total. */
  start(rate: number): void {
    this.stop();
    if (rate <= 0) return;
    this.#timer = setInterval(() => {
      this.#carry += (rate * TICK_MS) / 1000;
      const n = Math.floor(this.#carry);
      this.#carry -= n;
      if (n > 0) void this.publish(n);
    }, TICK_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Makes and publishes `count` events, round-robin over the guilds (or into one). */
  async publish(count: number, guildId?: string): Promise<LogEvent[]> {
    const guilds = [...this.#backend.guilds.values()];
    const target = guildId === undefined ? undefined : this.#backend.guilds.get(guildId);
    const byGuild = new Map<GuildState, LogEvent[]>();
    const made: LogEvent[] = [];
    for (let i = 0; i < count; i++) {
      const guild = target ?? guilds[this.#turn++ % guilds.length] as GuildState;
      const event = this.#factory.make(guild);
      this.#backend.history.append(event);
      let list = byGuild.get(guild);
      if (list === undefined) byGuild.set(guild, list = []);
      list.push(event);
      made.push(event);
    }
    const sends: Promise<void>[] = [];
    for (const [guild, events] of byGuild) {
      let run: LogEvent[] = [];
      const flush = () => {
        if (run.length === 0) return;
        const first = run[0] as LogEvent;
        const topic = guildTopic(guild.id, first.private ? "log.private" : "log.public");
        sends.push(this.#bus.publish(topic, JSON.stringify({ events: run })).catch(() => {}));
        run = [];
      };
      for (const e of events) {
        if (run.length > 0 && (run[0] as LogEvent).private !== e.private) flush();
        run.push(e);
      }
      flush();
    }
    this.published += count;
    await Promise.all(sends);
    return made;
  }
}
