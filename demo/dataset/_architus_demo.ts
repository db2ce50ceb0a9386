import type { AutoResponseSpec } from "./_auto_response_grammar.ts";
import { ADMIN_ROLE, ARCHITUS_ROLE, COMMON_RESPONSES } from "./_common_specs.ts";
import type { GuildSpec } from "./_guild_spec.ts";
import {
  DJ_PERMS,
  MEMBER_PERMS,
  MODERATOR_ARCHITUS,
  MODERATOR_PERMS,
  MUTED_ARCHITUS,
  Perm,
  PLAIN_MEMBER_ARCHITUS,
} from "./_role_permissions.ts";
import { DEMO_GUILD_IDS } from "./demo_ids.ts";

const RESPONSES: readonly AutoResponseSpec[] = [
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

/** Who writes the guild's emojis; auto responses come from them and the demo member. */
const AUTHORS = [
  "architusAdmin",
  "discordAdmin",
  "moderators",
  "listedAdmin",
  "developers",
  { first: 30, of: "generated" },
];

/**
 * The guild the demo users are about: the Architus admin owns it, the Discord
 * admin moderates it, the demo member is a plain member with explicit bits.
 * Its generated members also join the other guilds.
 */
export const ARCHITUS_DEMO: GuildSpec = {
  id: DEMO_GUILD_IDS.architusDemo,
  name: "Architus Demo",
  icon: "3d2f8e1a9c7b6d5e4f3a2b1c0d9e8f7a",
  owner: { person: "architusAdmin", nick: "Ada (owner)", status: "online" },
  demoMembers: [
    { person: "bot", nick: null, status: "online" },
    { person: "discordAdmin", nick: "Max | mod", status: "idle" },
    { person: "member", nick: null, status: "online" },
  ],
  size: 250,
  roles: [
    { key: "muted", name: "Muted", color: "#546e7a" },
    { key: "members", name: "Members", color: "#99aab5", permissions: MEMBER_PERMS },
    {
      key: "regulars",
      name: "Regulars",
      color: "#2ecc71",
      permissions: MEMBER_PERMS,
      hoist: true,
    },
    { key: "dj", name: "Music DJ", color: "#9b59b6", permissions: DJ_PERMS, mentionable: true },
    { key: "events", name: "Event Pings", mentionable: true },
    {
      key: "developers",
      name: "Developers",
      color: "#3498db",
      permissions: MEMBER_PERMS | Perm.MANAGE_CHANNELS,
      hoist: true,
    },
    ARCHITUS_ROLE,
    {
      key: "moderator",
      name: "Moderator",
      color: "#f1c40f",
      permissions: MODERATOR_PERMS,
      hoist: true,
      mentionable: true,
    },
    ADMIN_ROLE,
  ],
  roleSteps: [
    {
      pick: [
        ["secondAdmins", 1],
        ["moderators", 3],
        ["listedAdmin", 1],
        ["developers", 6],
        ["muted", 3],
      ],
      except: ["architusAdmin", "discordAdmin", "member"],
    },
    { give: "admin", to: ["architusAdmin", "secondAdmins"] },
    { give: "architus", to: ["bot"] },
    { give: "moderator", to: ["discordAdmin", "moderators"] },
    { give: "developers", to: ["listedAdmin", "developers"] },
    { roll: [{ role: "members", share: 0.85, always: ["member"], never: ["muted"] }] },
    { roll: [{ role: "regulars", share: 0.25, always: ["member"], never: ["muted"] }] },
    { roll: [{ role: "dj", share: 0.12, never: ["member"] }] },
    { roll: [{ role: "events", share: 0.3 }] },
    { give: "muted", to: ["muted"] },
  ],
  // The demo member, the moderators and the muted hold explicit Architus bits.
  architusPermissions: [
    { to: ["member"], bits: PLAIN_MEMBER_ARCHITUS },
    { to: ["discordAdmin", "moderators"], bits: MODERATOR_ARCHITUS },
    { to: ["muted"], bits: MUTED_ARCHITUS },
  ],
  // One developer is an Architus admin through the guild's explicit list only.
  adminList: ["listedAdmin"],
  channels: [
    { category: "Welcome", text: ["welcome", "rules", "announcements"] },
    { category: "Community", text: ["general", "memes", "introductions", "starboard"] },
    { category: "Architus", text: ["bot-commands", "auto-responses", "music-requests"] },
    { category: "Staff", text: ["mod-log", "staff-chat"] },
    { category: "Voice", voice: ["Lounge", "Gaming", "Music", "Study Room", "AFK"] },
  ],
  emojis: {
    names: [
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
    ],
    authors: AUTHORS,
  },
  autoResponses: { specs: RESPONSES, authors: [...AUTHORS, "member"] },
  settings: [
    ["prefix", "!"],
    ["log_channel_id", { channel: "mod-log" }],
    ["join_leave_channel_id", { channel: "welcome" }],
    ["announcements_channel_id", { channel: "announcements" }],
    ["bot_commands_channels", { channels: ["bot-commands", "music-requests"] }],
    ["afk_channel_id", { channel: "AFK" }],
    ["default_role_id", { role: "members" }],
    ["admins_ids", { adminList: true }],
    ["music_enabled", true],
    ["music_volume", 0.1],
    ["music_role_id", { role: "dj" }],
    ["starboard_enabled", true],
    ["starboard_channel_id", { channel: "starboard" }],
    ["starboard_emoji", "⭐"],
    ["starboard_threshold", 5],
    ["responses_enabled", true],
    ["responses_limit", 20],
    ["responses_trigger_length", 3],
    ["responses_response_length", 1000],
    ["responses_allow_collision", false],
    ["responses_whitelist", []],
    ["emoji_manager_enabled", true],
    ["manage_emojis", true],
    ["gulag_threshold", 5],
    ["gulag_severity", 5],
    ["repost_del_msg", false],
  ],
};
