import type { AutoResponseSpec } from "./_auto_response_grammar.ts";
import type { KeyedRoleSpec } from "./_guild_spec.ts";
import { ADMIN_PERMS, BOT_PERMS } from "./_role_permissions.ts";

/** What several demo guilds share. */

/** The Architus bot's managed role. */
export const ARCHITUS_ROLE: KeyedRoleSpec = {
  key: "architus",
  name: "Architus",
  color: "#6f6ded",
  permissions: BOT_PERMS,
  managed: true,
};

/** The usual administrator role. */
export const ADMIN_ROLE: KeyedRoleSpec = {
  key: "admin",
  name: "Admin",
  color: "#e74c3c",
  permissions: ADMIN_PERMS,
  hoist: true,
};

/** Auto responses most guilds have. */
export const COMMON_RESPONSES: readonly AutoResponseSpec[] = [
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
