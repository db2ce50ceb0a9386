import type { User } from "../../gateway/protocol/mod.ts";
import { ARCHITUS_DEMO } from "./_architus_demo.ts";
import { BIG_GUILD } from "./_big_guild.ts";
import { DEMO_PEOPLE, type DemoPersonKey } from "./_demo_people.ts";
import { GAMING_LOUNGE } from "./_gaming_lounge.ts";
import { buildGuild, type BuiltGuild } from "./_guild_builder.ts";
import type { GuildSpec } from "./_guild_spec.ts";
import { STUDY_HALL } from "./_study_hall.ts";
import { type Person, World } from "./_world.ts";
import type { DemoGuild } from "./demo_guild.ts";
import { DISCORD_ONLY_GUILDS, type DiscordOnlyGuild } from "./_discord_only_guilds.ts";

/**
 * A deterministic, seeded demo dataset: four guilds with members, channels,
 * roles, emojis, auto responses and settings, plus one user per access tier.
 * The embedded demo backend serves it so the gateway runs without Discord.
 * Guild ids and demo user ids are fixed; everything else follows the seed.
 */

interface DemoUser {
  readonly id: string;
  readonly username: string;
  /** A human description of the user's tier. */
  readonly role: string;
}

interface DemoUsers {
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

export interface DemoDataset {
  readonly guilds: readonly DemoGuild[];
  /** Every member's user record, every demo user, and the Architus bot user. */
  readonly users: ReadonlyMap<string, User>;
  readonly demoUsers: DemoUsers;
  guild(id: string): DemoGuild | undefined;
  /** The user's Discord guilds that Architus is not in, with their Discord bits there. */
  guildsWithoutArchitus(userId: string): ReadonlyArray<DiscordOnlyGuild & { permissions: number }>;
}

interface DemoDatasetOptions {
  /** Seed of everything that is not fixed (default 1). */
  readonly seed?: number;
  /** Members of "Big Guild", at least 3 (default 10 000). */
  readonly bigGuildMembers?: number;
}

/** The demo guilds, in the dataset's order (also the pid of each guild's hoar frosts). */
const GUILD_SPECS: readonly GuildSpec[] = [ARCHITUS_DEMO, BIG_GUILD, GAMING_LOUNGE, STUDY_HALL];

/** Builds the demo dataset; the same options always give the same data. */
export function createDemoDataset(options: DemoDatasetOptions = {}): DemoDataset {
  const seed = options.seed ?? 1;
  const bigGuildMembers = options.bigGuildMembers ?? 10_000;
  if (!Number.isInteger(bigGuildMembers) || bigGuildMembers < 3) {
    throw new RangeError("bigGuildMembers must be an integer of at least 3");
  }
  const world = new World(seed);
  const people = new Map<string, Person>();
  for (const { key, user, given } of DEMO_PEOPLE) people.set(key, world.fixedPerson(user, given));

  // A guild whose size is the option is built last, so the option changes no other guild.
  const built = new Map<string, BuiltGuild>();
  const order = GUILD_SPECS.map((spec, position) => ({ spec, position }));
  order.sort((a, b) => Number(sizeFollowsOption(a.spec)) - Number(sizeFollowsOption(b.spec)));
  for (const { spec, position } of order) {
    built.set(
      spec.id,
      buildGuild(spec, {
        world,
        people,
        position,
        bigGuildMembers,
        generatedOf: (id) => {
          const guild = built.get(id);
          if (guild === undefined) throw new Error(`${spec.name} needs guild ${id} built first`);
          return guild.generated;
        },
      }),
    );
  }
  const guilds = GUILD_SPECS.map((spec) => (built.get(spec.id) as BuiltGuild).guild);

  const users = new Map<string, User>();
  for (const person of world.people.values()) users.set(person.user.id, person.user);
  const byId = new Map(guilds.map((g) => [g.id, g]));
  return {
    guilds,
    users,
    demoUsers: {
      staff: demoUser("staff"),
      architusAdmin: demoUser("architusAdmin"),
      discordAdmin: demoUser("discordAdmin"),
      member: demoUser("member"),
      nonMember: demoUser("nonMember"),
    },
    guild: (id) => byId.get(id),
    guildsWithoutArchitus: (userId) => {
      const key = DEMO_PEOPLE.find((p) => p.user.id === userId)?.key;
      if (key === undefined) return [];
      return DISCORD_ONLY_GUILDS.flatMap((g) => {
        const permissions = g.members[key];
        return permissions === undefined ? [] : [{ ...g, permissions }];
      });
    },
  };
}

function demoUser(key: DemoPersonKey): DemoUser {
  const person = DEMO_PEOPLE.find((p) => p.key === key);
  if (person?.role == null) throw new Error(`${key} is not a demo user`);
  return { id: person.user.id, username: person.user.username, role: person.role };
}

function sizeFollowsOption(spec: GuildSpec): boolean {
  return spec.size === "bigGuildMembers";
}
