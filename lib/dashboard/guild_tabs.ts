// This module is browser-compatible.

/** The views of a watched guild, in the order of their tabs. */
export const GUILD_TABS = [
  { id: "log", label: "Log" },
  { id: "auto-responses", label: "Auto responses" },
  { id: "members", label: "Members" },
  { id: "channels-roles", label: "Channels & roles" },
  { id: "settings", label: "Settings" },
] as const;

export type GuildTab = typeof GUILD_TABS[number]["id"];

/** The URL parameter that keeps the open tab across reloads. */
export const TAB_PARAM = "view";

/** The tab a URL names, else the log. */
export function tabFromSearch(search: string): GuildTab {
  const named = new URLSearchParams(search).get(TAB_PARAM);
  return GUILD_TABS.find((tab) => tab.id === named)?.id ?? "log";
}

/** The tab `step` places away from `current`, wrapping around (the arrow keys). */
export function tabAfter(current: GuildTab, step: number): GuildTab {
  const index = GUILD_TABS.findIndex((tab) => tab.id === current);
  const next = (index + step + GUILD_TABS.length) % GUILD_TABS.length;
  return (GUILD_TABS[next] ?? GUILD_TABS[0]).id;
}
