// This module is browser-compatible.
/** Discord's ADMINISTRATOR and MANAGE_GUILD bits: either lets a user add a bot. */
const ADMINISTRATOR = 0x8;
const MANAGE_GUILD = 0x20;

/** The Architus bot's Discord application id (the one its invite names). */
export const ARCHITUS_BOT_ID = "448546825532866560";

/** The Discord permissions Architus asks for when it is added. */
const BOT_PERMISSIONS = 2134207679;

/** Where a server admin adds Architus to a guild (Discord's bot authorisation). */
export function addArchitusUrl(guildId: string): string {
  const url = new URL("https://discord.com/oauth2/authorize");
  url.searchParams.set("client_id", ARCHITUS_BOT_ID);
  url.searchParams.set("scope", "bot");
  url.searchParams.set("permissions", String(BOT_PERMISSIONS));
  url.searchParams.set("guild_id", guildId);
  return url.href;
}

/** Whether Discord lets the user add bots to the guild: MANAGE_GUILD (or ADMINISTRATOR). */
export function mayAddArchitus(discordPermissions: number): boolean {
  // Both bits are below 2^32, which is all `&` keeps of a number.
  return (discordPermissions & (MANAGE_GUILD | ADMINISTRATOR)) !== 0;
}
