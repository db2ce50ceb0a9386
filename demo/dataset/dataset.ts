import {
  ArchitusPermission,
  type AutoResponse,
  type Channel,
  type CustomEmoji,
  DEFAULT_ARCHITUS_PERMISSIONS,
  HOAR_FROST_EPOCH_MS,
  HoarFrostGenerator,
  type Member,
  type Role,
  type SettingValue,
  type User,
} from "../../gateway/protocol/mod.ts";
import { SeededRandom } from "../seeded_random.ts";
import { ADJECTIVES, FIRST_NAMES, NICK_EMOJIS, NICK_SUFFIXES, NOUNS, SURNAMES } from "./_names.ts";

/**
 * A deterministic, seeded demo dataset: four guilds with members, channels,
 * roles, emojis, auto responses and settings, plus one user per access tier.
 * The embedded demo backend serves it so the gateway runs without Discord.
 * Guild ids and demo user ids are fixed; everything else follows the seed.
 */

export interface DemoUser {
  readonly id: string;
  readonly username: string;
  /** A human description of the user's tier. */
  readonly role: string;
}

export interface DemoUsers {
  /** Architus staff (the hard-coded super-admin); member of no guild. */
  readonly staff: DemoUser;
  /** Owner of "Architus Demo", hence Architus admin there. */
  readonly architusAdmin: DemoUser;
  /** "Moderator" of "Architus Demo": Discord MANAGE_GUILD, not ADMINISTRATOR, not owner, not in adminIds. */
  readonly discordAdmin: DemoUser;
  /** Plain member of "Architus Demo" and "Big Guild" with Architus permissions 0x012. */
  readonly member: DemoUser;
  /** Member of "Gaming Lounge" only. */
  readonly nonMember: DemoUser;
}

export interface DemoGuild {
  /** A Discord snowflake, as a decimal string. */
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
  readonly ownerId: string;
  /** The guild's explicit Architus admin list (may be empty). */
  readonly adminIds: readonly string[];
  readonly members: readonly Member[];
  readonly channels: readonly Channel[];
  /** Includes @everyone (id = guild id, permissions 0); `permissions` is the Discord bitfield. */
  readonly roles: readonly Role[];
  readonly emojis: readonly CustomEmoji[];
  readonly autoResponses: readonly AutoResponse[];
  readonly settings: readonly SettingValue[];
  /** Architus permission bits per member id; members not listed hold DEFAULT_ARCHITUS_PERMISSIONS (0x112). */
  readonly architusPermissions: ReadonlyMap<string, number>;
}

export interface DemoDataset {
  readonly guilds: readonly DemoGuild[];
  /** Every member's user record, every demo user, and the Architus bot user. */
  readonly users: ReadonlyMap<string, User>;
  readonly demoUsers: DemoUsers;
  guild(id: string): DemoGuild | undefined;
}

export interface DemoDatasetOptions {
  /** Seed of everything that is not fixed (default 1). */
  readonly seed?: number;
  /** Members of "Big Guild", at least 3 (default 10 000). */
  readonly bigGuildMembers?: number;
}

/** The fixed ids of the demo guilds. */
export const DEMO_GUILD_IDS = {
  architusDemo: "555822989178961927",
  bigGuild: "342234003794825219",
  gamingLounge: "779451833654706188",
  studyHall: "884339856925396992",
} as const;

/** The Architus bot's user id. */
export const ARCHITUS_BOT_ID = "448546825532866560";

/** The hard-coded Architus staff (super-admin) user id. */
export const ARCHITUS_STAFF_ID = "214037134477230080";

/** The dataset's "now": every timestamp in it lies before this instant (2024-06-01T12:00Z). */
export const DEMO_NOW_MS: number = Date.UTC(2024, 5, 1, 12);

/** Builds the demo dataset; the same options always give the same data. */
export function createDemoDataset(options: DemoDatasetOptions = {}): DemoDataset {
  const seed = options.seed ?? 1;
  const bigGuildMembers = options.bigGuildMembers ?? 10_000;
  if (!Number.isInteger(bigGuildMembers) || bigGuildMembers < 3) {
    throw new RangeError("bigGuildMembers must be an integer of at least 3");
  }
  const world = new World(seed);
  const fixed = fixedPeople(world);
  const demo = buildArchitusDemo(world, fixed);
  const gaming = buildGamingLounge(world, fixed, demo);
  const study = buildStudyHall(world, fixed, demo);
  const big = buildBigGuild(world, fixed, demo, bigGuildMembers);
  const guilds = [demo.guild, big, gaming, study];

  const users = new Map<string, User>();
  for (const person of world.people.values()) users.set(person.user.id, person.user);
  const byId = new Map(guilds.map((g) => [g.id, g]));
  return {
    guilds,
    users,
    demoUsers: {
      staff: demoUser(
        fixed.staff,
        "Architus staff: the hard-coded super-admin; member of no guild",
      ),
      architusAdmin: demoUser(
        fixed.owner,
        "Architus admin: owner of Architus Demo (a plain member of Study Hall)",
      ),
      discordAdmin: demoUser(
        fixed.moderator,
        "Discord admin: Moderator role (MANAGE_GUILD, not ADMINISTRATOR) in Architus Demo",
      ),
      member: demoUser(
        fixed.member,
        "Member: plain member of Architus Demo and Big Guild, Architus permissions 0x012",
      ),
      nonMember: demoUser(
        fixed.outsider,
        "Non-member: member of Gaming Lounge only, not of Architus Demo nor Big Guild",
      ),
    },
    guild: (id) => byId.get(id),
  };
}

// ---------------------------------------------------------------------------
// People and ids

const DISCORD_LAUNCH_MS = Date.UTC(2015, 4, 13);
const LAST_SIGNUP_MS = Date.UTC(2024, 2, 1);
const DAY_MS = 86_400_000;

/** Discord permission bits used to build realistic role bitfields. */
const Perm = {
  CREATE_INSTANT_INVITE: 0x1,
  KICK_MEMBERS: 0x2,
  BAN_MEMBERS: 0x4,
  ADMINISTRATOR: 0x8,
  MANAGE_CHANNELS: 0x10,
  MANAGE_GUILD: 0x20,
  ADD_REACTIONS: 0x40,
  VIEW_AUDIT_LOG: 0x80,
  PRIORITY_SPEAKER: 0x100,
  STREAM: 0x200,
  VIEW_CHANNEL: 0x400,
  SEND_MESSAGES: 0x800,
  MANAGE_MESSAGES: 0x2000,
  EMBED_LINKS: 0x4000,
  ATTACH_FILES: 0x8000,
  READ_MESSAGE_HISTORY: 0x10000,
  MENTION_EVERYONE: 0x20000,
  USE_EXTERNAL_EMOJIS: 0x40000,
  CONNECT: 0x100000,
  SPEAK: 0x200000,
  MUTE_MEMBERS: 0x400000,
  MOVE_MEMBERS: 0x1000000,
  CHANGE_NICKNAME: 0x4000000,
  MANAGE_NICKNAMES: 0x8000000,
  MANAGE_ROLES: 0x10000000,
  MANAGE_EMOJIS: 0x40000000,
} as const;

const MEMBER_PERMS = Perm.CREATE_INSTANT_INVITE | Perm.ADD_REACTIONS | Perm.STREAM |
  Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES | Perm.EMBED_LINKS | Perm.ATTACH_FILES |
  Perm.READ_MESSAGE_HISTORY | Perm.USE_EXTERNAL_EMOJIS | Perm.CONNECT | Perm.SPEAK |
  Perm.CHANGE_NICKNAME;
const MODERATOR_PERMS = MEMBER_PERMS | Perm.KICK_MEMBERS | Perm.BAN_MEMBERS | Perm.MANAGE_GUILD |
  Perm.VIEW_AUDIT_LOG | Perm.MANAGE_MESSAGES | Perm.MENTION_EVERYONE | Perm.MUTE_MEMBERS |
  Perm.MOVE_MEMBERS | Perm.MANAGE_NICKNAMES | Perm.MANAGE_EMOJIS;
const HELPER_PERMS = MEMBER_PERMS | Perm.MANAGE_MESSAGES | Perm.MUTE_MEMBERS |
  Perm.MANAGE_NICKNAMES;
const ADMIN_PERMS = Perm.ADMINISTRATOR;
/** What the Architus invite link asks for. */
const BOT_PERMS = 2134207679;
const DJ_PERMS = MEMBER_PERMS | Perm.PRIORITY_SPEAKER | Perm.MOVE_MEMBERS;

/**
 * Architus bits of moderators: the default plus editing and deleting anyone's
 * auto responses. Private logs stay with Architus admins, so the Discord
 * admin tier differs visibly from the Architus admin one in the demo.
 */
const MODERATOR_ARCHITUS = DEFAULT_ARCHITUS_PERMISSIONS |
  ArchitusPermission.EDIT_ANY_AUTO_RESPONSE | ArchitusPermission.DELETE_ANY_AUTO_RESPONSE;
/** Architus bits of muted members: public logs only. */
const MUTED_ARCHITUS = ArchitusPermission.VIEW_PUBLIC_LOGS;
/** The demo member's bits: public logs and adding responses, no settings. */
const PLAIN_MEMBER_ARCHITUS = ArchitusPermission.VIEW_PUBLIC_LOGS |
  ArchitusPermission.ADD_AUTO_RESPONSE;

interface Person {
  readonly user: User;
  readonly createdMs: number;
  /** First name, when the username was built from one. */
  readonly given: string | null;
  /** Handle words, when the username was built from them. */
  readonly words: readonly string[];
}

/** Shared state of one generation: every person and every id handed out. */
class World {
  readonly seed: number;
  readonly people = new Map<string, Person>();
  readonly #usernames = new Set<string>();
  readonly #ids = new Set<string>();

  constructor(seed: number) {
    this.seed = seed;
  }

  rng(label: string): SeededRandom {
    return SeededRandom.derive(this.seed, label);
  }

  /** A fresh snowflake made at `ms`. */
  snowflake(rng: SeededRandom, ms: number): string {
    const stamp = BigInt(Math.floor(ms) - HOAR_FROST_EPOCH_MS) << 22n;
    for (;;) {
      const low = (rng.int(0, 2) << 17) | (rng.int(0, 3) << 12) | rng.int(0, 4095);
      const id = String(stamp | BigInt(low));
      if (!this.#ids.has(id)) {
        this.#ids.add(id);
        return id;
      }
    }
  }

  /** Registers a person with a fixed identity. */
  fixedPerson(user: User, given: string | null = null): Person {
    const person: Person = {
      user,
      createdMs: Number(BigInt(user.id) >> 22n) + HOAR_FROST_EPOCH_MS,
      given,
      words: [],
    };
    this.#ids.add(user.id);
    this.#usernames.add(user.username);
    this.people.set(user.id, person);
    return person;
  }

  /** A newly generated person with a unique username. */
  newPerson(rng: SeededRandom, createdBefore = LAST_SIGNUP_MS): Person {
    const createdMs = between(rng, DISCORD_LAUNCH_MS, createdBefore);
    const id = this.snowflake(rng, createdMs);
    const { base, given, words } = makeUsername(rng);
    let username = base;
    while (this.#usernames.has(username)) {
      username = `${base}${rng.chance(0.5) ? "_" : ""}${rng.int(2, 9999)}`;
    }
    this.#usernames.add(username);
    const user: User = {
      id,
      username,
      discriminator: discriminator(rng),
      avatar: rng.chance(0.75) ? avatarHash(rng) : null,
    };
    const person: Person = { user, createdMs, given, words };
    this.people.set(id, person);
    return person;
  }
}

interface FixedPeople {
  readonly bot: Person;
  readonly staff: Person;
  readonly owner: Person;
  readonly moderator: Person;
  readonly member: Person;
  readonly outsider: Person;
}

function fixedPeople(world: World): FixedPeople {
  return {
    bot: world.fixedPerson({
      id: ARCHITUS_BOT_ID,
      username: "architus",
      discriminator: "7145",
      avatar: "2a9d0b6f3c8e41d7a5b0c9e8f7d6a5b4",
      bot: true,
    }),
    staff: world.fixedPerson({
      id: ARCHITUS_STAFF_ID,
      username: "architus_staff",
      discriminator: "0001",
      avatar: "9f1e2d3c4b5a69788796a5b4c3d2e1f0",
    }),
    owner: world.fixedPerson({
      id: "405016269205536769",
      username: "demo_owner",
      discriminator: "1024",
      avatar: "c0ffee00d15ea5e5b0a710ad5eed1e55",
    }, "ada"),
    moderator: world.fixedPerson({
      id: "245880649293103108",
      username: "demo_moderator",
      discriminator: "2048",
      avatar: "a_5eed5eed1234567890abcdefabcdef01",
    }, "max"),
    member: world.fixedPerson({
      id: "700794554307317769",
      username: "demo_member",
      discriminator: "4096",
      avatar: null,
    }, "mia"),
    outsider: world.fixedPerson({
      id: "815499199956127746",
      username: "demo_outsider",
      discriminator: "8192",
      avatar: "0dd5ba11c0de4b1d8e2f3a4b5c6d7e8f",
    }, "olli"),
  };
}

function demoUser(person: Person, role: string): DemoUser {
  return { id: person.user.id, username: person.user.username, role };
}

function between(rng: SeededRandom, from: number, to: number): number {
  return from + Math.floor(rng.next() * Math.max(1, to - from));
}

function discriminator(rng: SeededRandom): string {
  return String(rng.int(1, 9999)).padStart(4, "0");
}

function avatarHash(rng: SeededRandom): string {
  return (rng.chance(0.06) ? "a_" : "") + rng.hex(32);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function makeUsername(
  rng: SeededRandom,
): { base: string; given: string | null; words: readonly string[] } {
  const style = rng.next();
  if (style < 0.3) {
    const given = rng.pick(FIRST_NAMES);
    const digits = rng.chance(0.4) ? String(rng.int(1, 99)).padStart(2, "0") : "";
    return { base: given + (digits && rng.chance(0.5) ? "_" : "") + digits, given, words: [] };
  }
  if (style < 0.55) {
    const given = rng.pick(FIRST_NAMES);
    const surname = rng.pick(SURNAMES);
    const sep = rng.pick([".", "_", ""]);
    return { base: `${given}${sep}${surname}`, given, words: [] };
  }
  if (style < 0.85) {
    const adjective = rng.pick(ADJECTIVES);
    const noun = rng.pick(NOUNS);
    const sep = rng.pick(["", "", "_", "."]);
    const digits = rng.chance(0.35) ? String(rng.int(1, 999)) : "";
    return { base: `${adjective}${sep}${noun}${digits}`, given: null, words: [adjective, noun] };
  }
  if (style < 0.95) {
    const given = rng.pick(FIRST_NAMES);
    const noun = rng.pick(NOUNS);
    return rng.chance(0.5)
      ? { base: `${noun}.${given}`, given, words: [noun] }
      : { base: `${given}the${noun}`, given, words: [noun] };
  }
  const noun = rng.pick(NOUNS);
  return { base: `the${noun}${rng.int(1, 99)}`, given: null, words: [noun] };
}

/** A per-guild nickname, or null (about 55% have none). */
function makeNick(rng: SeededRandom, person: Person): string | null {
  if (rng.chance(0.55)) return null;
  const given = person.given ?? rng.pick(FIRST_NAMES);
  const style = rng.next();
  if (style < 0.35) return capitalize(given);
  if (style < 0.5) return `${capitalize(given)} ${rng.pick(SURNAMES).charAt(0).toUpperCase()}.`;
  if (style < 0.62) return `${rng.pick(NICK_EMOJIS)} ${capitalize(given)}`;
  if (style < 0.72) return `${capitalize(given)} | ${rng.pick(NICK_SUFFIXES)}`;
  if (person.words.length > 0 && style < 0.9) return person.words.map(capitalize).join(" ");
  return `${capitalize(rng.pick(ADJECTIVES))} ${capitalize(given)}`;
}

function makeStatus(rng: SeededRandom): NonNullable<Member["status"]> {
  const x = rng.next();
  if (x < 0.17) return "online";
  if (x < 0.25) return "idle";
  if (x < 0.3) return "dnd";
  return "offline";
}

// ---------------------------------------------------------------------------
// Guild drafts

interface RoleSpec {
  readonly name: string;
  readonly color?: string;
  readonly permissions?: number;
  readonly hoist?: boolean;
  readonly mentionable?: boolean;
  readonly managed?: boolean;
}

interface RoleDraft {
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
class GuildDraft {
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
  readonly #index: number;
  #channelPositions = { text: 0, voice: 0, category: 0 };

  constructor(world: World, id: string, name: string, index: number) {
    this.world = world;
    this.rng = world.rng(`guild:${name}`);
    this.id = id;
    this.name = name;
    this.createdMs = Number(BigInt(id) >> 22n) + HOAR_FROST_EPOCH_MS;
    this.#index = index;
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
    const generator = new HoarFrostGenerator({ node, pid: this.#index, now: () => now });
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

// ---------------------------------------------------------------------------
// Auto responses

interface AutoResponseSpec {
  readonly trigger: string;
  readonly response: string;
  readonly mode: "naive" | "punctuated" | "regex";
}

/** The characters around a punctuated trigger. */
const PUNCTUATION = " \t\n.,!?;:'\"()[]*_~";

const TOKEN_KINDS = new Set(["author", "noun", "adj", "adv", "count", "member", "capture"]);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function escapeClass(text: string): string {
  return text.replace(/[\\\]\[^-]/g, "\\$&").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
}

function triggerRegex(spec: AutoResponseSpec): string {
  switch (spec.mode) {
    case "regex":
      return spec.trigger;
    case "naive":
      return escapeRegex(spec.trigger);
    case "punctuated": {
      const around = `[${escapeClass(PUNCTUATION)}]`;
      return `(?:^|${around})${escapeRegex(spec.trigger)}(?:$|${around})`;
    }
  }
}

/** Splits a response into `[type, text]` tokens, as the Architus response grammar does. */
function responseTokens(response: string): [string, string][] {
  const tokens: [string, string][] = [];
  const pattern = /\[([^\]]*)\]|https?:\/\/[^\s)]+/g;
  let last = 0;
  for (const match of response.matchAll(pattern)) {
    if (match.index > last) tokens.push(["text", response.slice(last, match.index)]);
    const inner = match[1];
    if (inner === undefined) {
      tokens.push(["url", match[0]]);
    } else {
      const kind = /^\d+$/.test(inner) ? "capture" : TOKEN_KINDS.has(inner) ? inner : "react";
      tokens.push(["open", "["], [kind, inner], ["close", "]"]);
    }
    last = match.index + match[0].length;
  }
  if (last < response.length) tokens.push(["text", response.slice(last)]);
  return tokens;
}

const COMMON_RESPONSES: readonly AutoResponseSpec[] = [
  { trigger: "good morning", response: "Good morning, [author]! ☀️", mode: "punctuated" },
  { trigger: "ping", response: "pong", mode: "punctuated" },
  { trigger: "tableflip", response: "(╯°□°)╯︵ ┻━┻", mode: "naive" },
  { trigger: "unflip", response: "┬─┬ ノ( ゜-゜ノ)", mode: "punctuated" },
  { trigger: "good bot", response: "[❤️] thank you, [author]!", mode: "punctuated" },
  {
    trigger: "f",
    response: "[author] paid their respects. [count] respects paid so far.",
    mode: "punctuated",
  },
];

const DEMO_RESPONSES: readonly AutoResponseSpec[] = [
  ...COMMON_RESPONSES,
  {
    trigger: "^(?:hi|hey|hello),? architus\\b",
    response: "Hi [author]! Type `!help` to see what I can do.",
    mode: "regex",
  },
  { trigger: "\\b(?:lol|lmao|rofl)\\b", response: "[😂]", mode: "regex" },
  { trigger: "what should i eat", response: "You should eat a [adj] [noun].", mode: "punctuated" },
  { trigger: "^i'?m (\\w+)$", response: "Hi [1], I'm Architus!", mode: "regex" },
  { trigger: "docs please", response: "The docs live at https://docs.archit.us", mode: "naive" },
  { trigger: "who is the best", response: "[member] is the best, obviously.", mode: "punctuated" },
  { trigger: "hello there", response: "General Kenobi!", mode: "naive" },
  { trigger: "how are you", response: "I'm [adv] [adj], thanks for asking!", mode: "punctuated" },
];

const GAMING_RESPONSES: readonly AutoResponseSpec[] = [
  ...COMMON_RESPONSES.slice(0, 3),
  { trigger: "gg", response: "gg wp [author] [🏆]", mode: "punctuated" },
  {
    trigger: "\\b(?:lag|laggy)\\b",
    response: "Have you tried turning your router off and on?",
    mode: "regex",
  },
  { trigger: "anyone up for", response: "[member] is always up for it!", mode: "naive" },
];

const STUDY_RESPONSES: readonly AutoResponseSpec[] = [
  COMMON_RESPONSES[0] as AutoResponseSpec,
  {
    trigger: "pomodoro",
    response: "25 minutes of focus, then a 5 minute break. Go! [🍅]",
    mode: "punctuated",
  },
  {
    trigger: "^exam (?:tomorrow|today)",
    response: "You've got this, [author]! [💪]",
    mode: "regex",
  },
  { trigger: "citation needed", response: "[📚]", mode: "naive" },
];

const BIG_RESPONSES: readonly AutoResponseSpec[] = [
  ...COMMON_RESPONSES,
  { trigger: "welcome", response: "Welcome aboard! Read #rules first [👋]", mode: "punctuated" },
  { trigger: "^!rank$", response: "[author], you're doing [adv] well.", mode: "regex" },
];

// ---------------------------------------------------------------------------
// The guilds

interface DemoGuildDraft {
  readonly guild: DemoGuild;
  /** The generated members of Architus Demo, for overlap with other guilds. */
  readonly generated: readonly Person[];
}

const DEMO_EMOJIS = [
  "architus",
  "blobwave",
  "catjam",
  "partyparrot",
  "thonk",
  "pog",
  "sadcat",
  "kekw",
  "pepega",
  "yikes",
  "ablobdance",
  "shrugcat",
  "doggothumbsup",
  "monkaS",
  "bongo",
];

function buildArchitusDemo(world: World, fixed: FixedPeople): DemoGuildDraft {
  const g = new GuildDraft(world, DEMO_GUILD_IDS.architusDemo, "Architus Demo", 0);
  const rng = g.rng;
  g.add(fixed.owner, { joinedMs: g.createdMs, nick: "Ada (owner)", status: "online" });
  g.add(fixed.bot, { nick: null, status: "online" });
  g.add(fixed.moderator, { nick: "Max | mod", status: "idle" });
  g.add(fixed.member, { nick: null, status: "online" });
  const generated = g.addNew(246);

  const muted = g.role({ name: "Muted", color: "#546e7a" });
  const members = g.role({ name: "Members", color: "#99aab5", permissions: MEMBER_PERMS });
  const regulars = g.role({
    name: "Regulars",
    color: "#2ecc71",
    permissions: MEMBER_PERMS,
    hoist: true,
  });
  const dj = g.role({
    name: "Music DJ",
    color: "#9b59b6",
    permissions: DJ_PERMS,
    mentionable: true,
  });
  const events = g.role({ name: "Event Pings", mentionable: true });
  const devs = g.role({
    name: "Developers",
    color: "#3498db",
    permissions: MEMBER_PERMS | Perm.MANAGE_CHANNELS,
    hoist: true,
  });
  const botRole = g.role({
    name: "Architus",
    color: "#6f6ded",
    permissions: BOT_PERMS,
    managed: true,
  });
  const mods = g.role({
    name: "Moderator",
    color: "#f1c40f",
    permissions: MODERATOR_PERMS,
    hoist: true,
    mentionable: true,
  });
  const admins = g.role({ name: "Admin", color: "#e74c3c", permissions: ADMIN_PERMS, hoist: true });

  const picked = g.pickMembers(14, [fixed.owner, fixed.moderator, fixed.member]);
  const secondAdmins = picked.slice(0, 1);
  const genMods = picked.slice(1, 4);
  const devPool = picked.slice(4, 11);
  const mutedPeople = picked.slice(11, 14);

  g.give(admins, [fixed.owner, ...secondAdmins]);
  g.give(botRole, [fixed.bot]);
  g.give(mods, [fixed.moderator, ...genMods]);
  g.give(devs, devPool);
  const humans = g.humans();
  const mutedIds = new Set(mutedPeople.map((p) => p.user.id));
  g.give(
    members,
    humans.filter((p) => !mutedIds.has(p.user.id) && (p === fixed.member || rng.chance(0.85))),
  );
  g.give(
    regulars,
    humans.filter((p) => p === fixed.member || (!mutedIds.has(p.user.id) && rng.chance(0.25))),
  );
  g.give(dj, humans.filter((p) => p !== fixed.member && rng.chance(0.12)));
  g.give(events, humans.filter(() => rng.chance(0.3)));
  g.give(muted, mutedPeople);

  // The demo member, the moderators and the muted hold explicit Architus bits.
  g.architusPermissions.set(fixed.member.user.id, PLAIN_MEMBER_ARCHITUS);
  for (const mod of [fixed.moderator, ...genMods]) {
    g.architusPermissions.set(mod.user.id, MODERATOR_ARCHITUS);
  }
  for (const person of mutedPeople) g.architusPermissions.set(person.user.id, MUTED_ARCHITUS);
  // One developer is an Architus admin through the guild's explicit list only.
  const listedAdmin = devPool[0];
  if (listedAdmin !== undefined) g.adminIds.push(listedAdmin.user.id);

  g.channel("Welcome", "category");
  const welcome = g.channel("welcome", "text");
  g.channel("rules", "text");
  const announcements = g.channel("announcements", "text");
  g.channel("Community", "category");
  g.channel("general", "text");
  g.channel("memes", "text");
  g.channel("introductions", "text");
  const starboard = g.channel("starboard", "text");
  g.channel("Architus", "category");
  const botCommands = g.channel("bot-commands", "text");
  g.channel("auto-responses", "text");
  const music = g.channel("music-requests", "text");
  g.channel("Staff", "category");
  const modLog = g.channel("mod-log", "text");
  g.channel("staff-chat", "text");
  g.channel("Voice", "category");
  g.channel("Lounge", "voice");
  g.channel("Gaming", "voice");
  g.channel("Music", "voice");
  g.channel("Study Room", "voice");
  const afk = g.channel("AFK", "voice");

  const authors = [fixed.owner, fixed.moderator, ...genMods, ...devPool, ...generated.slice(0, 30)];
  g.addEmojis(DEMO_EMOJIS, authors);
  g.addAutoResponses(DEMO_RESPONSES, [...authors, fixed.member]);

  g.setting("prefix", "!");
  g.setting("log_channel_id", modLog.id);
  g.setting("join_leave_channel_id", welcome.id);
  g.setting("announcements_channel_id", announcements.id);
  g.setting("bot_commands_channels", [botCommands.id, music.id]);
  g.setting("afk_channel_id", afk.id);
  g.setting("default_role_id", members.id);
  g.setting("admins_ids", g.adminIds.slice());
  g.setting("music_enabled", true);
  g.setting("music_volume", 0.1);
  g.setting("music_role_id", dj.id);
  g.setting("starboard_enabled", true);
  g.setting("starboard_channel_id", starboard.id);
  g.setting("starboard_emoji", "⭐");
  g.setting("starboard_threshold", 5);
  g.setting("responses_enabled", true);
  g.setting("responses_limit", 20);
  g.setting("responses_trigger_length", 3);
  g.setting("responses_response_length", 1000);
  g.setting("responses_allow_collision", false);
  g.setting("responses_whitelist", []);
  g.setting("emoji_manager_enabled", true);
  g.setting("manage_emojis", true);
  g.setting("gulag_threshold", 5);
  g.setting("gulag_severity", 5);
  g.setting("repost_del_msg", false);

  return { guild: g.finish(fixed.owner.user.id, "3d2f8e1a9c7b6d5e4f3a2b1c0d9e8f7a"), generated };
}

const COLOR_ROLES: readonly [string, string][] = [
  ["Red", "#e74c3c"],
  ["Orange", "#e67e22"],
  ["Yellow", "#f1c40f"],
  ["Green", "#2ecc71"],
  ["Teal", "#1abc9c"],
  ["Blue", "#3498db"],
  ["Purple", "#9b59b6"],
  ["Pink", "#ff69b4"],
];

const LEVEL_ROLES: readonly [string, string, number][] = [
  ["Level 5", "#a5d6a7", 0.45],
  ["Level 10", "#66bb6a", 0.25],
  ["Level 25", "#43a047", 0.1],
  ["Level 50", "#1b5e20", 0.03],
];

function buildBigGuild(
  world: World,
  fixed: FixedPeople,
  demo: DemoGuildDraft,
  size: number,
): DemoGuild {
  const g = new GuildDraft(world, DEMO_GUILD_IDS.bigGuild, "Big Guild", 1);
  const rng = g.rng;
  const owner = world.newPerson(rng, g.createdMs - 30 * DAY_MS);
  g.add(owner, { joinedMs: g.createdMs, status: "online" });
  g.add(fixed.bot, { nick: null, status: "online" });
  g.add(fixed.member, { nick: "Mia", status: "online" });
  const overlap = rng.sample(demo.generated, Math.min(40, size - g.members.length));
  for (const person of overlap) g.add(person);
  g.addNew(size - g.members.length);

  const events = g.role({ name: "Event Pings", mentionable: true });
  const booster = g.role({ name: "Server Booster", color: "#f47fff", managed: true });
  const levels = LEVEL_ROLES.map(([name, color, share]) => ({
    role: g.role({ name, color, permissions: MEMBER_PERMS }),
    share,
  }));
  const colors = COLOR_ROLES.map(([name, color]) => g.role({ name, color }));
  const helpers = g.role({
    name: "Helper",
    color: "#00bcd4",
    permissions: HELPER_PERMS,
    hoist: true,
  });
  const botRole = g.role({
    name: "Architus",
    color: "#6f6ded",
    permissions: BOT_PERMS,
    managed: true,
  });
  const mods = g.role({
    name: "Moderator",
    color: "#f1c40f",
    permissions: MODERATOR_PERMS,
    hoist: true,
  });
  const admins = g.role({ name: "Admin", color: "#e74c3c", permissions: ADMIN_PERMS, hoist: true });

  const staffPool = g.pickMembers(32, [owner, fixed.member]);
  const adminPeople = staffPool.slice(0, 2);
  const modPeople = staffPool.slice(2, 14);
  const helperPeople = staffPool.slice(14);
  g.give(admins, [owner, ...adminPeople]);
  g.give(mods, modPeople);
  g.give(helpers, helperPeople);
  g.give(botRole, [fixed.bot]);

  const humans = g.humans();
  const eventPeople: Person[] = [];
  const boosters: Person[] = [];
  const levelPeople: Person[][] = levels.map(() => []);
  const colorPeople: Person[][] = colors.map(() => []);
  for (const person of humans) {
    const isMember = person === fixed.member;
    if (isMember || rng.chance(0.2)) eventPeople.push(person);
    if (!isMember && rng.chance(0.03)) boosters.push(person);
    const x = rng.next();
    levels.forEach(({ share }, i) => {
      if (isMember ? i === 0 : x < share) levelPeople[i]?.push(person);
    });
    if (!isMember && rng.chance(0.4)) colorPeople[rng.int(0, colors.length - 1)]?.push(person);
  }
  g.give(events, eventPeople);
  g.give(booster, boosters);
  levels.forEach(({ role }, i) => g.give(role, levelPeople[i] ?? []));
  colors.forEach((role, i) => g.give(role, colorPeople[i] ?? []));

  g.architusPermissions.set(fixed.member.user.id, PLAIN_MEMBER_ARCHITUS);
  for (const mod of modPeople) g.architusPermissions.set(mod.user.id, MODERATOR_ARCHITUS);

  g.channel("Info", "category");
  g.channel("rules", "text");
  const announcements = g.channel("announcements", "text");
  const roles = g.channel("pick-your-roles", "text");
  g.channel("Chat", "category");
  g.channel("general", "text");
  g.channel("general-2", "text");
  g.channel("off-topic", "text");
  g.channel("memes", "text");
  g.channel("art", "text");
  g.channel("pets", "text");
  g.channel("music", "text");
  g.channel("Bots", "category");
  const botCommands = g.channel("bot-commands", "text");
  const modLog = g.channel("mod-log", "text");
  g.channel("Voice", "category");
  for (let i = 1; i <= 4; i++) g.channel(`Voice ${i}`, "voice");
  g.channel("Stage", "voice");
  g.channel("AFK", "voice");

  const authors = [owner, ...adminPeople, ...modPeople];
  g.addEmojis(["wave", "hype", "bigbrain", "stonks", "salute", "facepalm", "clap", "rip"], authors);
  g.addAutoResponses(BIG_RESPONSES, [...authors, ...helperPeople]);

  g.setting("prefix", "?");
  g.setting("log_channel_id", modLog.id);
  g.setting("announcements_channel_id", announcements.id);
  g.setting("roles_channel_id", roles.id);
  g.setting("bot_commands_channels", [botCommands.id]);
  g.setting("admins_ids", g.adminIds.slice());
  g.setting("music_enabled", false);
  g.setting("starboard_enabled", true);
  g.setting("starboard_emoji", "🌟");
  g.setting("starboard_threshold", 15);
  g.setting("responses_enabled", true);
  g.setting("responses_limit", 5);
  g.setting("responses_trigger_length", 4);
  g.setting("responses_response_length", 300);
  g.setting("responses_allow_collision", false);
  g.setting("manage_emojis", false);

  return g.finish(owner.user.id, "a_7e6d5c4b3a291807f6e5d4c3b2a19080");
}

function buildGamingLounge(world: World, fixed: FixedPeople, demo: DemoGuildDraft): DemoGuild {
  const g = new GuildDraft(world, DEMO_GUILD_IDS.gamingLounge, "Gaming Lounge", 2);
  const rng = g.rng;
  const owner = world.newPerson(rng, g.createdMs - 30 * DAY_MS);
  g.add(owner, { joinedMs: g.createdMs, status: "dnd" });
  g.add(fixed.bot, { nick: null, status: "online" });
  g.add(fixed.outsider, { nick: "Olli", status: "online" });
  g.add(fixed.moderator, { status: "offline" });
  for (const person of rng.sample(demo.generated, 8)) g.add(person);
  g.addNew(60 - g.members.length);

  const gamers = g.role({ name: "Gamers", color: "#95a5a6", permissions: MEMBER_PERMS });
  const fps = g.role({ name: "FPS Squad", color: "#e67e22", mentionable: true });
  const strategy = g.role({ name: "Strategy Nerds", color: "#16a085", mentionable: true });
  const retro = g.role({ name: "Retro Club", color: "#8e44ad", mentionable: true });
  const streamers = g.role({ name: "Streamer", color: "#9146ff", hoist: true });
  const botRole = g.role({
    name: "Architus",
    color: "#6f6ded",
    permissions: BOT_PERMS,
    managed: true,
  });
  const mods = g.role({
    name: "Mods",
    color: "#f1c40f",
    permissions: MODERATOR_PERMS,
    hoist: true,
  });
  const boss = g.role({ name: "Boss", color: "#c0392b", permissions: ADMIN_PERMS, hoist: true });

  const humans = g.humans();
  g.give(boss, [owner]);
  const modPeople = g.pickMembers(2, [owner, fixed.outsider, fixed.moderator]);
  g.give(mods, modPeople);
  g.give(botRole, [fixed.bot]);
  g.give(gamers, humans);
  g.give(fps, humans.filter((p) => p === fixed.outsider || rng.chance(0.35)));
  g.give(strategy, humans.filter(() => rng.chance(0.2)));
  g.give(retro, humans.filter(() => rng.chance(0.15)));
  g.give(streamers, g.pickMembers(4, [fixed.outsider]));
  for (const mod of modPeople) g.architusPermissions.set(mod.user.id, MODERATOR_ARCHITUS);

  g.channel("Text", "category");
  g.channel("lobby", "text");
  g.channel("looking-for-group", "text");
  g.channel("clips", "text");
  const botCommands = g.channel("bot-spam", "text");
  g.channel("Voice", "category");
  g.channel("Squad 1", "voice");
  g.channel("Squad 2", "voice");
  g.channel("Chill", "voice");

  const authors = [owner, ...modPeople];
  g.addEmojis(["gg", "clutch", "noscope", "ragequit", "respawn"], authors);
  g.addAutoResponses(GAMING_RESPONSES, humans);

  g.setting("prefix", "!");
  g.setting("bot_commands_channels", [botCommands.id]);
  g.setting("admins_ids", g.adminIds.slice());
  g.setting("music_enabled", true);
  g.setting("music_volume", 0.25);
  g.setting("starboard_enabled", false);
  g.setting("starboard_threshold", 3);
  g.setting("responses_enabled", true);
  g.setting("responses_limit", 10);

  return g.finish(owner.user.id, null);
}

function buildStudyHall(world: World, fixed: FixedPeople, demo: DemoGuildDraft): DemoGuild {
  const g = new GuildDraft(world, DEMO_GUILD_IDS.studyHall, "Study Hall", 3);
  const rng = g.rng;
  const owner = world.newPerson(rng, g.createdMs - 30 * DAY_MS);
  g.add(owner, { joinedMs: g.createdMs, status: "idle" });
  g.add(fixed.bot, { nick: null, status: "online" });
  g.add(fixed.owner, { nick: null, status: "offline" });
  g.add(fixed.member, { nick: "Mia (CS)", status: "online" });
  for (const person of rng.sample(demo.generated, 6)) g.add(person);
  g.addNew(40 - g.members.length);

  const students = g.role({ name: "Student", color: "#3498db", permissions: MEMBER_PERMS });
  const math = g.role({ name: "Math", mentionable: true });
  const cs = g.role({ name: "Computer Science", mentionable: true });
  const languages = g.role({ name: "Languages", mentionable: true });
  const tutors = g.role({
    name: "Tutor",
    color: "#2ecc71",
    permissions: HELPER_PERMS,
    hoist: true,
  });
  const botRole = g.role({
    name: "Architus",
    color: "#6f6ded",
    permissions: BOT_PERMS,
    managed: true,
  });
  const mods = g.role({
    name: "Moderator",
    color: "#f39c12",
    permissions: MODERATOR_PERMS,
    hoist: true,
  });
  const admins = g.role({ name: "Admin", color: "#e74c3c", permissions: ADMIN_PERMS, hoist: true });

  const humans = g.humans();
  g.give(admins, [owner]);
  const modPeople = g.pickMembers(2, [owner, fixed.owner, fixed.member]);
  g.give(mods, modPeople);
  g.give(tutors, g.pickMembers(4, [owner, fixed.owner, fixed.member, ...modPeople]));
  g.give(botRole, [fixed.bot]);
  g.give(students, humans);
  g.give(math, humans.filter(() => rng.chance(0.4)));
  g.give(cs, humans.filter((p) => p === fixed.member || rng.chance(0.4)));
  g.give(languages, humans.filter(() => rng.chance(0.25)));
  for (const mod of modPeople) g.architusPermissions.set(mod.user.id, MODERATOR_ARCHITUS);

  g.channel("Study", "category");
  g.channel("general", "text");
  g.channel("homework-help", "text");
  g.channel("resources", "text");
  const focus = g.channel("focus-mode", "text");
  g.channel("Rooms", "category");
  g.channel("Silent Study", "voice");
  g.channel("Group Study", "voice");

  g.addEmojis(["pomodoro", "brain", "coffee"], [owner, ...modPeople]);
  g.addAutoResponses(STUDY_RESPONSES, humans);

  g.setting("prefix", ".");
  g.setting("bot_commands_channels", [focus.id]);
  g.setting("admins_ids", g.adminIds.slice());
  g.setting("music_enabled", false);
  g.setting("starboard_enabled", true);
  g.setting("starboard_emoji", "📌");
  g.setting("starboard_threshold", 3);
  g.setting("responses_enabled", true);
  g.setting("responses_limit", 8);

  return g.finish(owner.user.id, "5b4a39281706f5e4d3c2b1a098f7e6d5");
}
