/**
 * A small world in the original shards' shapes (`architus.md` §3.3), for the
 * stand-in shard and the fake Discord: two guilds with Architus on
 * different shards (of two), one without it, and users whose ids are beyond
 * 2^53. `cached: false` marks what the shard only finds with `fetch=True`.
 */

/** `(id >> 22) % 2` is 0 for GUILD_A and 1 for GUILD_B. */
export const GUILD_A = "555822989178961927";
export const GUILD_B = "342234003794825219";
/** A guild the owner is in on Discord, without Architus. */
export const GUILD_C = "607637793107345431";
/** An id no guild has. */
export const UNKNOWN_GUILD = "711234567890123456";

export const OWNER = "700794554307317769";
export const MEMBER = "405016269205536769";
export const STRANGER = "123456789012345678";
/** Found by `pool_request` only with `fetch=True`. */
export const UNCACHED = "380000000000000001";
/** The hard-coded super admin of `is_member`. */
export const SUPER_ADMIN = "214037134477230080";

export interface ShardUser {
  readonly id: string;
  readonly username: string;
  readonly discriminator: string;
  readonly avatar: string | null;
  readonly cached: boolean;
}

export const USERS: readonly ShardUser[] = [
  { id: OWNER, username: "Owen", discriminator: "0420", avatar: "a1b2", cached: true },
  { id: MEMBER, username: "Mira", discriminator: "7145", avatar: null, cached: true },
  { id: UNCACHED, username: "Una", discriminator: "0001", avatar: null, cached: false },
];

export interface ShardMember {
  readonly userId: string;
  readonly nick: string | null;
  readonly roles: readonly string[];
  /** Discord permission bitfield. */
  readonly permissions: number;
  readonly admin: boolean;
  readonly cached: boolean;
}

export interface ShardGuild {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly members: readonly ShardMember[];
  readonly channels: ReadonlyArray<{ id: string; name: string }>;
  readonly roles: ReadonlyArray<Record<string, unknown>>;
  /** `as_dict_url()`: `authorId` is `"None"` without an author; `cached: false` only on fetch. */
  readonly emoji: ReadonlyArray<Record<string, unknown> & { cached: boolean }>;
  /** `AutoResponse.as_dict()`, camelCase, `triggerPunctuation` a list. */
  readonly autoResponses: ReadonlyArray<Record<string, unknown>>;
}

export const GUILDS: readonly ShardGuild[] = [
  {
    id: GUILD_A,
    name: "Architus Test",
    ownerId: OWNER,
    members: [
      {
        userId: OWNER,
        nick: "boss",
        roles: ["555822989178961928"],
        permissions: 8,
        admin: true,
        cached: true,
      },
      { userId: MEMBER, nick: null, roles: [], permissions: 1024, admin: false, cached: true },
      { userId: UNCACHED, nick: "late", roles: [], permissions: 1024, admin: false, cached: false },
    ],
    channels: [{ id: "555822989178961930", name: "general" }, {
      id: "555822989178961931",
      name: "memes",
    }],
    roles: [{
      id: "555822989178961928",
      name: "admins",
      hoist: true,
      position: 1,
      managed: false,
      mentionable: false,
      members: [OWNER],
      color: "#d34c4f",
    }],
    emoji: [
      {
        id: "30000000000000001",
        name: "HeyGuys",
        authorId: OWNER,
        discordId: "448546825532866561",
        numUses: 12,
        priority: 1.5,
        url: "https://cdn.example/HeyGuys.png",
        cached: true,
      },
      {
        id: "30000000000000002",
        name: "Orphan",
        authorId: "None",
        discordId: null,
        numUses: 0,
        priority: 0,
        url: "https://cdn.example/Orphan.png",
        cached: true,
      },
      {
        id: "30000000000000003",
        name: "Unloaded",
        authorId: OWNER,
        discordId: null,
        numUses: 0,
        priority: 0,
        url: "https://cdn.example/Unloaded.png",
        cached: false,
      },
    ],
    autoResponses: [{
      id: "40000000000000001",
      trigger: "thanks",
      response: "you're welcome!",
      authorId: OWNER,
      guildId: GUILD_A,
      triggerRegex: "\\bthanks\\b",
      triggerPunctuation: ["!", "?"],
      responseTokens: [["text", "you're welcome!"]],
      mode: "punctuated",
      count: 3,
    }],
  },
  {
    id: GUILD_B,
    name: "Second Guild",
    ownerId: MEMBER,
    members: [
      { userId: MEMBER, nick: null, roles: [], permissions: 8, admin: true, cached: true },
      { userId: OWNER, nick: null, roles: [], permissions: 32, admin: false, cached: true },
    ],
    channels: [{ id: "342234003794825220", name: "lobby" }],
    roles: [],
    emoji: [],
    autoResponses: [],
  },
];

/** What Discord's `/users/@me/guilds` answers, by bearer token (`demo-access-<id>` from `mintToken`). */
export const DISCORD_GUILDS: Readonly<Record<string, ReadonlyArray<Record<string, unknown>>>> = {
  [`demo-access-${OWNER}`]: [
    {
      id: GUILD_A,
      name: "Architus Test",
      icon: null,
      owner: true,
      permissions: "2147483647",
      features: [],
    },
    {
      id: GUILD_B,
      name: "Second Guild",
      icon: null,
      owner: false,
      permissions: "32",
      features: [],
    },
    {
      id: GUILD_C,
      name: "No Bot Here",
      icon: "c0ffee",
      owner: false,
      permissions: "32",
      features: ["NEWS"],
    },
  ],
  [`demo-access-${MEMBER}`]: [
    {
      id: GUILD_A,
      name: "Architus Test",
      icon: null,
      owner: false,
      permissions: "1024",
      features: [],
    },
  ],
};
