import type { Member } from "../../gateway/protocol/mod.ts";
import type { AutoResponseSpec } from "./_auto_response_grammar.ts";
import type { DemoPersonKey } from "./_demo_people.ts";
import type { RoleSpec } from "./_guild_draft.ts";

/**
 * What one demo guild is made of, as data: `buildGuild` turns a spec into
 * the guild. Everything random (nicks, join times, who gets which role) is
 * drawn by the builder in the order the spec lists it, so a spec and a seed
 * always give the same guild.
 *
 * People are named by `PersonRef`s:
 * - `"owner"`: the guild's owner;
 * - a demo person (`"bot"`, `"architusAdmin"`, `"discordAdmin"`, `"member"`, `"nonMember"`);
 * - `"humans"`: every member but the bot, in join order;
 * - `"generated"`: the members generated for this guild, in join order;
 * - the name of a group picked by an earlier `pick` step;
 * - `{ first, of }`: the first few people of one of the above.
 */
export interface GuildSpec {
  /** A Discord snowflake, as a decimal string; it also gives the guild's creation time. */
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
  readonly owner: OwnerSpec;
  /** Demo people who are members, in join order after the owner. */
  readonly demoMembers: readonly DemoMemberSpec[];
  /** Generated members of another demo guild who are members here too, drawn at random. */
  readonly sharedMembers?: { readonly from: string; readonly count: number };
  /** Members in all; the rest are generated. `"bigGuildMembers"` takes the dataset option. */
  readonly size: number | "bigGuildMembers";
  /** The roles above @everyone, lowest first; `key` names a role within the spec. */
  readonly roles: readonly KeyedRoleSpec[];
  /** Who holds which role, step by step. */
  readonly roleSteps: readonly RoleStep[];
  /** Architus bits of some members, in order; everyone else holds the default. */
  readonly architusPermissions?: readonly ArchitusGrant[];
  /** The guild's explicit Architus admin list. */
  readonly adminList?: readonly PersonRef[];
  /** Channels by category, in order: the category, then its text channels, then its voice ones. */
  readonly channels: readonly ChannelCategorySpec[];
  readonly emojis: { readonly names: readonly string[]; readonly authors: readonly PersonRef[] };
  readonly autoResponses: {
    readonly specs: readonly AutoResponseSpec[];
    readonly authors: readonly PersonRef[];
  };
  /** The guild's settings, in order. */
  readonly settings: readonly (readonly [id: string, value: SettingSpec])[];
}

export type PersonRef = string | { readonly first: number; readonly of: string };

type MemberStatus = NonNullable<Member["status"]>;

/** The owner joins when the guild is created. */
interface OwnerSpec {
  /** A demo person, or `"new"`: a generated person whose account predates the guild by 30 days. */
  readonly person: DemoPersonKey | "new";
  /** The nick; without one, a random nick (or none). */
  readonly nick?: string | null;
  readonly status: MemberStatus;
}

interface DemoMemberSpec {
  readonly person: DemoPersonKey;
  /** The nick; without one, a random nick (or none). */
  readonly nick?: string | null;
  readonly status: MemberStatus;
}

export interface KeyedRoleSpec extends RoleSpec {
  readonly key: string;
}

/**
 * One step of handing out roles:
 * - `pick`: random members (not `except`), split into named groups of the given sizes;
 * - `give`: a role to people;
 * - `roll`: for each human in turn, every roll of the list.
 */
export type RoleStep =
  | {
    readonly pick: readonly (readonly [group: string, count: number])[];
    readonly except: readonly PersonRef[];
  }
  | { readonly give: string; readonly to: readonly PersonRef[] }
  | { readonly roll: readonly Roll[] };

/**
 * A random draw for one human:
 * - `role`: the role with probability `share`, always for `always`, never for `never`;
 * - `tiers`: one draw decides every tier at once: each tier whose share is above it.
 *   `firstOnly` people draw too, but hold the first tier only;
 * - `oneOf`: with probability `share`, one of the roles, picked at random; never for `never`.
 */
export type Roll =
  | {
    readonly role: string;
    readonly share: number;
    readonly always?: readonly PersonRef[];
    readonly never?: readonly PersonRef[];
  }
  | {
    readonly tiers: readonly (readonly [role: string, share: number])[];
    readonly firstOnly?: readonly PersonRef[];
  }
  | {
    readonly oneOf: readonly string[];
    readonly share: number;
    readonly never?: readonly PersonRef[];
  };

interface ArchitusGrant {
  readonly to: readonly PersonRef[];
  readonly bits: number;
}

interface ChannelCategorySpec {
  readonly category: string;
  readonly text?: readonly string[];
  readonly voice?: readonly string[];
}

/**
 * A setting's value: a plain value, or the id of one of the guild's channels
 * or roles (by name and key), or the guild's admin list.
 */
export type SettingSpec =
  | string
  | number
  | boolean
  | readonly string[]
  | { readonly channel: string }
  | { readonly channels: readonly string[] }
  | { readonly role: string }
  | { readonly adminList: true };
