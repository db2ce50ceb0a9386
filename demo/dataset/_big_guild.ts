import type { AutoResponseSpec } from "./_auto_response_grammar.ts";
import { ADMIN_ROLE, ARCHITUS_ROLE, COMMON_RESPONSES } from "./_common_specs.ts";
import type { GuildSpec, KeyedRoleSpec } from "./_guild_spec.ts";
import {
  HELPER_PERMS,
  MEMBER_PERMS,
  MODERATOR_ARCHITUS,
  MODERATOR_PERMS,
  PLAIN_MEMBER_ARCHITUS,
} from "./_role_permissions.ts";
import { DEMO_GUILD_IDS } from "./demo_ids.ts";

const RESPONSES: readonly AutoResponseSpec[] = [
  ...COMMON_RESPONSES,
  { trigger: "welcome", response: "Welcome aboard! Read #rules first [👋]", mode: "punctuated" },
  { trigger: "^!rank$", response: "[author], you're doing [adv] well.", mode: "regex" },
];

/** Level roles and the share of members who reached each. */
const LEVELS: readonly (readonly [name: string, color: string, share: number])[] = [
  ["Level 5", "#a5d6a7", 0.45],
  ["Level 10", "#66bb6a", 0.25],
  ["Level 25", "#43a047", 0.1],
  ["Level 50", "#1b5e20", 0.03],
];

/** Roles members pick for their name colour. */
const COLORS: readonly (readonly [name: string, color: string])[] = [
  ["Red", "#e74c3c"],
  ["Orange", "#e67e22"],
  ["Yellow", "#f1c40f"],
  ["Green", "#2ecc71"],
  ["Teal", "#1abc9c"],
  ["Blue", "#3498db"],
  ["Purple", "#9b59b6"],
  ["Pink", "#ff69b4"],
];

const LEVEL_ROLES: readonly KeyedRoleSpec[] = LEVELS.map(([name, color]) => ({
  key: name,
  name,
  color,
  permissions: MEMBER_PERMS,
}));
const COLOR_ROLES: readonly KeyedRoleSpec[] = COLORS.map(([name, color]) => ({
  key: name,
  name,
  color,
}));

const AUTHORS = ["owner", "admins", "moderators"];

/**
 * A large public community: its size is the dataset option `bigGuildMembers`
 * (10,000 by default), so member lists and searches have something to page.
 */
export const BIG_GUILD: GuildSpec = {
  id: DEMO_GUILD_IDS.bigGuild,
  name: "Big Guild",
  icon: "a_7e6d5c4b3a291807f6e5d4c3b2a19080",
  owner: { person: "new", status: "online" },
  demoMembers: [
    { person: "bot", nick: null, status: "online" },
    { person: "member", nick: "Mia", status: "online" },
  ],
  sharedMembers: { from: DEMO_GUILD_IDS.architusDemo, count: 40 },
  size: "bigGuildMembers",
  roles: [
    { key: "events", name: "Event Pings", mentionable: true },
    { key: "booster", name: "Server Booster", color: "#f47fff", managed: true },
    ...LEVEL_ROLES,
    ...COLOR_ROLES,
    { key: "helper", name: "Helper", color: "#00bcd4", permissions: HELPER_PERMS, hoist: true },
    ARCHITUS_ROLE,
    {
      key: "moderator",
      name: "Moderator",
      color: "#f1c40f",
      permissions: MODERATOR_PERMS,
      hoist: true,
    },
    ADMIN_ROLE,
  ],
  roleSteps: [
    {
      pick: [["admins", 2], ["moderators", 12], ["helpers", 18]],
      except: ["owner", "member"],
    },
    { give: "admin", to: ["owner", "admins"] },
    { give: "moderator", to: ["moderators"] },
    { give: "helper", to: ["helpers"] },
    { give: "architus", to: ["bot"] },
    {
      roll: [
        { role: "events", share: 0.2, always: ["member"] },
        { role: "booster", share: 0.03, never: ["member"] },
        { tiers: LEVELS.map(([name, , share]) => [name, share]), firstOnly: ["member"] },
        { oneOf: COLORS.map(([name]) => name), share: 0.4, never: ["member"] },
      ],
    },
  ],
  architusPermissions: [
    { to: ["member"], bits: PLAIN_MEMBER_ARCHITUS },
    { to: ["moderators"], bits: MODERATOR_ARCHITUS },
  ],
  channels: [
    { category: "Info", text: ["rules", "announcements", "pick-your-roles"] },
    {
      category: "Chat",
      text: ["general", "general-2", "off-topic", "memes", "art", "pets", "music"],
    },
    { category: "Bots", text: ["bot-commands", "mod-log"] },
    { category: "Voice", voice: ["Voice 1", "Voice 2", "Voice 3", "Voice 4", "Stage", "AFK"] },
  ],
  emojis: {
    names: ["wave", "hype", "bigbrain", "stonks", "salute", "facepalm", "clap", "rip"],
    authors: AUTHORS,
  },
  autoResponses: { specs: RESPONSES, authors: [...AUTHORS, "helpers"] },
  settings: [
    ["prefix", "?"],
    ["log_channel_id", { channel: "mod-log" }],
    ["announcements_channel_id", { channel: "announcements" }],
    ["roles_channel_id", { channel: "pick-your-roles" }],
    ["bot_commands_channels", { channels: ["bot-commands"] }],
    ["admins_ids", { adminList: true }],
    ["music_enabled", false],
    ["starboard_enabled", true],
    ["starboard_emoji", "🌟"],
    ["starboard_threshold", 15],
    ["responses_enabled", true],
    ["responses_limit", 5],
    ["responses_trigger_length", 4],
    ["responses_response_length", 300],
    ["responses_allow_collision", false],
    ["manage_emojis", false],
  ],
};
