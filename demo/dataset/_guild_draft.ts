import {
  type AutoResponse,
  type Channel,
  type CustomEmoji,
  HoarFrostGenerator,
  hoarFrostTime,
  type Member,
  type Role,
  type SettingValue,
} from "../../gateway/protocol/mod.ts";
import type { SeededRandom } from "../seeded_random.ts";
import {
  type AutoResponseSpec,
  PUNCTUATION,
  responseTokens,
  triggerRegex,
} from "./_auto_response_grammar.ts";
import { makeNick } from "./_naming.ts";
import { between, DAY_MS, DEMO_NOW_MS, type Person, type World } from "./_world.ts";
import type { DemoGuild } from "./demo_guild.ts";

/** A role as the guild spec writes it. */
export interface RoleSpec {
  readonly name: string;
  readonly color?: string;
  readonly permissions?: number;
  readonly hoist?: boolean;
  readonly mentionable?: boolean;
  readonly managed?: boolean;
}

export interface RoleDraft {
  readonly id: string;
  readonly spec: RoleSpec;
  readonly position: number;
  readonly members: string[];
}

interface MemberDraft {
  readonly person: Person;
  readonly nick: string | null;
  readonly joinedMs: number;
  readonly status: NonNullable<Member["status"]>;
}

interface MemberOptions {
  readonly joinedMs?: number;
  readonly nick?: string | null;
  readonly status?: NonNullable<Member["status"]>;
}

const NO_COLOR = "#000000";

/** A guild under construction; `finish` turns it into a DemoGuild. */
export class GuildDraft {
  readonly world: World;
  readonly rng: SeededRandom;
  readonly id: string;
  readonly name: string;
  readonly createdMs: number;
  readonly members: MemberDraft[] = [];
  readonly memberIds = new Set<string>();
  readonly roles: RoleDraft[] = [];
  readonly channels: Channel[] = [];
  readonly emojis: CustomEmoji[] = [];
  readonly autoResponses: AutoResponse[] = [];
  readonly settings: SettingValue[] = [];
  readonly architusPermissions = new Map<string, number>();
  readonly adminIds: string[] = [];
  readonly #position: number;
  #channelPositions = { text: 0, voice: 0, category: 0 };

  constructor(world: World, id: string, name: string, position: number) {
    this.world = world;
    this.rng = world.rng(`guild:${name}`);
    this.id = id;
    this.name = name;
    this.createdMs = hoarFrostTime(id);
    this.#position = position;
    this.roles.push({
      id,
      spec: { name: "@everyone", permissions: 0 },
      position: 0,
      members: [],
    });
  }

  /** A random instant in the guild's lifetime, after `notBefore`. */
  time(notBefore = this.createdMs): number {
    const from = Math.max(notBefore, this.createdMs) + 60_000;
    return between(this.rng, from, DEMO_NOW_MS - 60_000);
  }

  /** A random instant of the guild's first year, when its roles and channels were set up. */
  earlyTime(): number {
    return between(this.rng, this.createdMs + 60_000, this.createdMs + 365 * DAY_MS);
  }

  /** `count` random instants in the guild's lifetime, ascending. */
  times(count: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(this.time());
    return out.sort((a, b) => a - b);
  }

  has(person: Person): boolean {
    return this.memberIds.has(person.user.id);
  }

  add(person: Person, options: MemberOptions = {}): Person {
    if (this.has(person)) throw new Error(`${person.user.username} is already in ${this.name}`);
    this.memberIds.add(person.user.id);
    this.members.push({
      person,
      nick: options.nick !== undefined ? options.nick : makeNick(this.rng, person),
      joinedMs: options.joinedMs ?? this.time(person.createdMs),
      status: options.status ?? makeStatus(this.rng),
    });
    return person;
  }

  addNew(count: number): Person[] {
    const out: Person[] = [];
    for (let i = 0; i < count; i++) out.push(this.add(this.world.newPerson(this.rng)));
    return out;
  }

  role(spec: RoleSpec): RoleDraft {
    const role: RoleDraft = {
      id: this.world.snowflake(this.rng, this.earlyTime()),
      spec,
      position: this.roles.length,
      members: [],
    };
    this.roles.push(role);
    return role;
  }

  give(role: RoleDraft, people: readonly Person[]): void {
    for (const person of people) {
      if (!this.has(person)) throw new Error(`${person.user.username} is not in ${this.name}`);
      role.members.push(person.user.id);
    }
  }

  channel(name: string, type: "text" | "voice" | "category"): Channel {
    const channel: Channel = {
      id: this.world.snowflake(this.rng, this.earlyTime()),
      name,
      type,
      position: this.#channelPositions[type]++,
    };
    this.channels.push(channel);
    return channel;
  }

  /** `count` hoar frosts made at ascending, random instants of the guild's lifetime. */
  #hoarFrosts(count: number, node: number): { id: string; ms: number }[] {
    let now = 0;
    const generator = new HoarFrostGenerator({ node, pid: this.#position, now: () => now });
    return this.times(count).map((ms) => {
      now = ms;
      return { id: generator.next(), ms };
    });
  }

  /** Adds the guild's custom emojis; call once. */
  addEmojis(names: readonly string[], authors: readonly Person[]): void {
    this.#hoarFrosts(names.length, 1).forEach(({ id, ms }, i) => {
      const discordId = this.world.snowflake(this.rng, ms);
      const numUses = Math.floor(this.rng.next() ** 2 * 2500);
      const ageMonths = (DEMO_NOW_MS - ms) / (30 * DAY_MS);
      this.emojis.push({
        id,
        name: names[i] ?? "emoji",
        authorId: this.rng.pick(authors).user.id,
        discordId,
        url: `https://cdn.discordapp.com/emojis/${discordId}.png`,
        numUses,
        priority: Math.round((numUses / (1 + ageMonths)) * 100) / 100,
      });
    });
  }

  /** Adds the guild's auto responses; call once. */
  addAutoResponses(specs: readonly AutoResponseSpec[], authors: readonly Person[]): void {
    this.#hoarFrosts(specs.length, 2).forEach(({ id }, i) => {
      const spec = specs[i] as AutoResponseSpec;
      this.autoResponses.push({
        id,
        trigger: spec.trigger,
        response: spec.response,
        author_id: this.rng.pick(authors).user.id,
        guild_id: this.id,
        trigger_regex: triggerRegex(spec),
        trigger_punctuation: PUNCTUATION,
        response_tokens: responseTokens(spec.response),
        count: Math.floor(this.rng.next() ** 3 * 800),
        mode: spec.mode,
      });
    });
  }

  setting(id: string, value: unknown): void {
    this.settings.push({ id, guild_id: this.id, value });
  }

  /** Members other than `except`, in a random order. */
  pickMembers(count: number, except: readonly Person[] = []): Person[] {
    const excluded = new Set(except.map((p) => p.user.id));
    const pool = this.members.filter((m) =>
      !excluded.has(m.person.user.id) && m.person.user.bot !== true
    ).map((m) => m.person);
    return this.rng.sample(pool, count);
  }

  humans(): Person[] {
    return this.members.filter((m) => m.person.user.bot !== true).map((m) => m.person);
  }

  finish(ownerId: string, icon: string | null): DemoGuild {
    const rolesOf = new Map<string, string[]>();
    const colorOf = new Map<string, string>();
    for (const role of this.roles) {
      if (role.position === 0) continue;
      const color = role.spec.color ?? NO_COLOR;
      for (const memberId of role.members) {
        let list = rolesOf.get(memberId);
        if (list === undefined) rolesOf.set(memberId, list = []);
        list.push(role.id);
        // Roles ascend by position, so the last coloured one is the top one.
        if (color !== NO_COLOR) colorOf.set(memberId, color);
      }
    }
    const members: Member[] = this.members.map(({ person, nick, joinedMs, status }) => ({
      id: person.user.id,
      name: person.user.username,
      nick,
      avatar: person.user.avatar ?? null,
      discriminator: person.user.discriminator,
      roles: rolesOf.get(person.user.id) ?? [],
      color: colorOf.get(person.user.id) ?? null,
      joined_at: new Date(joinedMs).toISOString(),
      status,
    }));
    const roles: Role[] = this.roles.map((role) => ({
      id: role.id,
      name: role.spec.name,
      hoist: role.spec.hoist ?? false,
      position: role.position,
      managed: role.spec.managed ?? false,
      mentionable: role.spec.mentionable ?? false,
      members: role.position === 0 ? [] : role.members,
      color: role.spec.color ?? NO_COLOR,
      permissions: role.spec.permissions ?? 0,
    }));
    return {
      id: this.id,
      name: this.name,
      icon,
      ownerId,
      adminIds: this.adminIds,
      members,
      channels: this.channels,
      roles,
      emojis: this.emojis,
      autoResponses: this.autoResponses,
      settings: this.settings,
      architusPermissions: this.architusPermissions,
    };
  }
}

function makeStatus(rng: SeededRandom): NonNullable<Member["status"]> {
  const x = rng.next();
  if (x < 0.17) return "online";
  if (x < 0.25) return "idle";
  if (x < 0.3) return "dnd";
  return "offline";
}
