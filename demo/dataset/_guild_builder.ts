import type { Channel } from "../../gateway/protocol/mod.ts";
import { DEMO_PEOPLE } from "./_demo_people.ts";
import { GuildDraft, type RoleDraft } from "./_guild_draft.ts";
import type { GuildSpec, PersonRef, RoleStep, Roll, SettingSpec } from "./_guild_spec.ts";
import { DAY_MS, type Person, type World } from "./_world.ts";
import type { DemoGuild } from "./demo_guild.ts";

/** What `buildGuild` needs besides the spec. */
interface GuildContext {
  readonly world: World;
  /** The demo people, by `DemoPersonKey`. */
  readonly people: ReadonlyMap<string, Person>;
  /** The guild's place in the dataset's list, also the pid of its hoar frosts. */
  readonly position: number;
  /** The size of a guild whose spec says `"bigGuildMembers"`. */
  readonly bigGuildMembers: number;
  /** The generated members of a guild built before this one. */
  readonly generatedOf: (guildId: string) => readonly Person[];
}

export interface BuiltGuild {
  readonly guild: DemoGuild;
  /** The members generated for the guild, in join order. */
  readonly generated: readonly Person[];
}

/** Names a `pick` step may not give a group: they mean someone else already. */
const RESERVED = new Set(["owner", "humans", "generated", ...DEMO_PEOPLE.map((p) => p.key)]);

/** Builds one demo guild from its spec. */
export function buildGuild(spec: GuildSpec, context: GuildContext): BuiltGuild {
  const g = new GuildDraft(context.world, spec.id, spec.name, context.position);
  const { owner, generated } = addMembers(g, spec, context);

  const groups = new Map<string, readonly Person[]>();
  const named = (name: string): readonly Person[] => {
    if (name === "owner") return [owner];
    if (name === "humans") return g.humans();
    if (name === "generated") return generated;
    const person = context.people.get(name);
    return person !== undefined ? [person] : lookup(groups, spec.name, "person or group")(name);
  };
  const resolve = (refs: readonly PersonRef[]): Person[] =>
    refs.flatMap((ref) => typeof ref === "string" ? named(ref) : named(ref.of).slice(0, ref.first));
  const role = lookup(new Map(spec.roles.map((r) => [r.key, g.role(r)])), spec.name, "role");

  for (const step of spec.roleSteps) runStep(g, step, { groups, resolve, role });
  for (const { to, bits } of spec.architusPermissions ?? []) {
    for (const person of resolve(to)) g.architusPermissions.set(person.user.id, bits);
  }
  for (const person of resolve(spec.adminList ?? [])) g.adminIds.push(person.user.id);

  const channel = lookup(addChannels(g, spec), spec.name, "channel");
  g.addEmojis(spec.emojis.names, resolve(spec.emojis.authors));
  g.addAutoResponses(spec.autoResponses.specs, resolve(spec.autoResponses.authors));

  const settingValue = (value: SettingSpec): unknown => {
    if (typeof value !== "object") return value;
    if (Array.isArray(value)) return value.slice();
    if ("channel" in value) return channel(value.channel).id;
    if ("channels" in value) return value.channels.map((name) => channel(name).id);
    if ("role" in value) return role(value.role).id;
    return g.adminIds.slice();
  };
  for (const [id, value] of spec.settings) g.setting(id, settingValue(value));

  return { guild: g.finish(owner.user.id, spec.icon), generated };
}

/** Looks names up in `map`, failing loudly on a name the spec does not define. */
function lookup<T>(map: ReadonlyMap<string, T>, guild: string, what: string): (name: string) => T {
  return (name) => {
    const found = map.get(name);
    if (found === undefined) throw new Error(`${guild}: no ${what} called ${name}`);
    return found;
  };
}

/**
 * Adds the owner (who joins when the guild is created), the demo members,
 * the members shared with another guild, then generated ones up to the size.
 */
function addMembers(
  g: GuildDraft,
  spec: GuildSpec,
  context: GuildContext,
): { owner: Person; generated: readonly Person[] } {
  const demoPerson = lookup(context.people, spec.name, "demo person");
  const owner = spec.owner.person === "new"
    ? g.world.newPerson(g.rng, g.createdMs - 30 * DAY_MS)
    : demoPerson(spec.owner.person);
  g.add(owner, { joinedMs: g.createdMs, nick: spec.owner.nick, status: spec.owner.status });
  for (const { person, nick, status } of spec.demoMembers) {
    g.add(demoPerson(person), { nick, status });
  }
  const size = spec.size === "bigGuildMembers" ? context.bigGuildMembers : spec.size;
  if (spec.sharedMembers !== undefined) {
    const pool = context.generatedOf(spec.sharedMembers.from);
    const count = Math.min(spec.sharedMembers.count, size - g.members.length);
    for (const person of g.rng.sample(pool, count)) g.add(person);
  }
  return { owner, generated: g.addNew(size - g.members.length) };
}

/** Adds the channels, category by category; returns them by name. */
function addChannels(g: GuildDraft, spec: GuildSpec): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  const add = (name: string, type: "text" | "voice" | "category") => {
    if (channels.has(name)) throw new Error(`${spec.name}: two channels called ${name}`);
    channels.set(name, g.channel(name, type));
  };
  for (const { category, text = [], voice = [] } of spec.channels) {
    add(category, "category");
    for (const name of text) add(name, "text");
    for (const name of voice) add(name, "voice");
  }
  return channels;
}

/** What the steps of one guild share: the groups picked so far and the lookups. */
interface StepScope {
  readonly groups: Map<string, readonly Person[]>;
  readonly resolve: (refs: readonly PersonRef[]) => Person[];
  readonly role: (key: string) => RoleDraft;
}

function runStep(g: GuildDraft, step: RoleStep, s: StepScope): void {
  if ("pick" in step) {
    const total = step.pick.reduce((sum, [, count]) => sum + count, 0);
    const picked = g.pickMembers(total, s.resolve(step.except));
    let start = 0;
    for (const [group, count] of step.pick) {
      if (RESERVED.has(group) || s.groups.has(group)) {
        throw new Error(`${g.name}: the group name ${group} is taken`);
      }
      s.groups.set(group, picked.slice(start, start + count));
      start += count;
    }
  } else if ("give" in step) {
    g.give(s.role(step.give), s.resolve(step.to));
  } else {
    const rolls = step.roll.map((roll) => prepareRoll(g, roll, s));
    for (const person of g.humans()) for (const roll of rolls) roll(person);
  }
}

/** One roll as a function of the human it is drawn for. */
function prepareRoll(g: GuildDraft, roll: Roll, s: StepScope): (person: Person) => void {
  const ids = (refs: readonly PersonRef[] = []) =>
    new Set(s.resolve(refs).map((person) => person.user.id));
  const rng = g.rng;
  if ("tiers" in roll) {
    const tiers = roll.tiers.map(([key, share]) => ({ role: s.role(key), share }));
    const firstOnly = ids(roll.firstOnly);
    return (person) => {
      const x = rng.next();
      const pinned = firstOnly.has(person.user.id);
      tiers.forEach(({ role, share }, i) => {
        if (pinned ? i === 0 : x < share) g.give(role, [person]);
      });
    };
  }
  if ("oneOf" in roll) {
    const roles = roll.oneOf.map(s.role);
    const never = ids(roll.never);
    return (person) => {
      if (never.has(person.user.id) || !rng.chance(roll.share)) return;
      g.give(roles[rng.int(0, roles.length - 1)] as RoleDraft, [person]);
    };
  }
  const role = s.role(roll.role);
  const always = ids(roll.always);
  const never = ids(roll.never);
  return (person) => {
    const id = person.user.id;
    if (always.has(id) || (!never.has(id) && rng.chance(roll.share))) g.give(role, [person]);
  };
}
