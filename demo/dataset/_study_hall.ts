import type { AutoResponseSpec } from "./_auto_response_grammar.ts";
import { ADMIN_ROLE, ARCHITUS_ROLE, COMMON_RESPONSES } from "./_common_specs.ts";
import type { GuildSpec } from "./_guild_spec.ts";
import {
  HELPER_PERMS,
  MEMBER_PERMS,
  MODERATOR_ARCHITUS,
  MODERATOR_PERMS,
} from "./_role_permissions.ts";
import { DEMO_GUILD_IDS } from "./demo_ids.ts";

const RESPONSES: readonly AutoResponseSpec[] = [
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

/** A small guild where the Architus admin and the demo member are plain members. */
export const STUDY_HALL: GuildSpec = {
  id: DEMO_GUILD_IDS.studyHall,
  name: "Study Hall",
  icon: "5b4a39281706f5e4d3c2b1a098f7e6d5",
  owner: { person: "new", status: "idle" },
  demoMembers: [
    { person: "bot", nick: null, status: "online" },
    { person: "architusAdmin", nick: null, status: "offline" },
    { person: "member", nick: "Mia (CS)", status: "online" },
  ],
  sharedMembers: { from: DEMO_GUILD_IDS.architusDemo, count: 6 },
  size: 40,
  roles: [
    { key: "student", name: "Student", color: "#3498db", permissions: MEMBER_PERMS },
    { key: "math", name: "Math", mentionable: true },
    { key: "cs", name: "Computer Science", mentionable: true },
    { key: "languages", name: "Languages", mentionable: true },
    { key: "tutor", name: "Tutor", color: "#2ecc71", permissions: HELPER_PERMS, hoist: true },
    ARCHITUS_ROLE,
    {
      key: "moderator",
      name: "Moderator",
      color: "#f39c12",
      permissions: MODERATOR_PERMS,
      hoist: true,
    },
    ADMIN_ROLE,
  ],
  roleSteps: [
    { give: "admin", to: ["owner"] },
    { pick: [["moderators", 2]], except: ["owner", "architusAdmin", "member"] },
    { give: "moderator", to: ["moderators"] },
    { pick: [["tutors", 4]], except: ["owner", "architusAdmin", "member", "moderators"] },
    { give: "tutor", to: ["tutors"] },
    { give: "architus", to: ["bot"] },
    { give: "student", to: ["humans"] },
    { roll: [{ role: "math", share: 0.4 }] },
    { roll: [{ role: "cs", share: 0.4, always: ["member"] }] },
    { roll: [{ role: "languages", share: 0.25 }] },
  ],
  architusPermissions: [{ to: ["moderators"], bits: MODERATOR_ARCHITUS }],
  channels: [
    { category: "Study", text: ["general", "homework-help", "resources", "focus-mode"] },
    { category: "Rooms", voice: ["Silent Study", "Group Study"] },
  ],
  emojis: { names: ["pomodoro", "brain", "coffee"], authors: ["owner", "moderators"] },
  autoResponses: { specs: RESPONSES, authors: ["humans"] },
  settings: [
    ["prefix", "."],
    ["bot_commands_channels", { channels: ["focus-mode"] }],
    ["admins_ids", { adminList: true }],
    ["music_enabled", false],
    ["starboard_enabled", true],
    ["starboard_emoji", "📌"],
    ["starboard_threshold", 3],
    ["responses_enabled", true],
    ["responses_limit", 8],
  ],
};
