import type { AutoResponseSpec } from "./_auto_response_grammar.ts";
import { ARCHITUS_ROLE, COMMON_RESPONSES } from "./_common_specs.ts";
import type { GuildSpec } from "./_guild_spec.ts";
import {
  ADMIN_PERMS,
  MEMBER_PERMS,
  MODERATOR_ARCHITUS,
  MODERATOR_PERMS,
} from "./_role_permissions.ts";
import { DEMO_GUILD_IDS } from "./demo_ids.ts";

const RESPONSES: readonly AutoResponseSpec[] = [
  ...COMMON_RESPONSES.slice(0, 3),
  { trigger: "gg", response: "gg wp [author] [🏆]", mode: "punctuated" },
  {
    trigger: "\\b(?:lag|laggy)\\b",
    response: "Have you tried turning your router off and on?",
    mode: "regex",
  },
  { trigger: "anyone up for", response: "[member] is always up for it!", mode: "naive" },
];

/** The only guild of the demo non-member; the Discord admin is a plain member here. */
export const GAMING_LOUNGE: GuildSpec = {
  id: DEMO_GUILD_IDS.gamingLounge,
  name: "Gaming Lounge",
  icon: null,
  owner: { person: "new", status: "dnd" },
  demoMembers: [
    { person: "bot", nick: null, status: "online" },
    { person: "nonMember", nick: "Olli", status: "online" },
    { person: "discordAdmin", status: "offline" },
  ],
  sharedMembers: { from: DEMO_GUILD_IDS.architusDemo, count: 8 },
  size: 60,
  roles: [
    { key: "gamers", name: "Gamers", color: "#95a5a6", permissions: MEMBER_PERMS },
    { key: "fps", name: "FPS Squad", color: "#e67e22", mentionable: true },
    { key: "strategy", name: "Strategy Nerds", color: "#16a085", mentionable: true },
    { key: "retro", name: "Retro Club", color: "#8e44ad", mentionable: true },
    { key: "streamer", name: "Streamer", color: "#9146ff", hoist: true },
    ARCHITUS_ROLE,
    { key: "mods", name: "Mods", color: "#f1c40f", permissions: MODERATOR_PERMS, hoist: true },
    { key: "boss", name: "Boss", color: "#c0392b", permissions: ADMIN_PERMS, hoist: true },
  ],
  roleSteps: [
    { give: "boss", to: ["owner"] },
    { pick: [["moderators", 2]], except: ["owner", "nonMember", "discordAdmin"] },
    { give: "mods", to: ["moderators"] },
    { give: "architus", to: ["bot"] },
    { give: "gamers", to: ["humans"] },
    { roll: [{ role: "fps", share: 0.35, always: ["nonMember"] }] },
    { roll: [{ role: "strategy", share: 0.2 }] },
    { roll: [{ role: "retro", share: 0.15 }] },
    { pick: [["streamers", 4]], except: ["nonMember"] },
    { give: "streamer", to: ["streamers"] },
  ],
  architusPermissions: [{ to: ["moderators"], bits: MODERATOR_ARCHITUS }],
  channels: [
    { category: "Text", text: ["lobby", "looking-for-group", "clips", "bot-spam"] },
    { category: "Voice", voice: ["Squad 1", "Squad 2", "Chill"] },
  ],
  emojis: {
    names: ["gg", "clutch", "noscope", "ragequit", "respawn"],
    authors: ["owner", "moderators"],
  },
  autoResponses: { specs: RESPONSES, authors: ["humans"] },
  settings: [
    ["prefix", "!"],
    ["bot_commands_channels", { channels: ["bot-spam"] }],
    ["admins_ids", { adminList: true }],
    ["music_enabled", true],
    ["music_volume", 0.25],
    ["starboard_enabled", false],
    ["starboard_threshold", 3],
    ["responses_enabled", true],
    ["responses_limit", 10],
  ],
};
