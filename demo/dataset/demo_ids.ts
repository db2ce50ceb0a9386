/** The fixed ids of the demo guilds. */
export const DEMO_GUILD_IDS = {
  architusDemo: "555822989178961927",
  bigGuild: "342234003794825219",
  gamingLounge: "779451833654706188",
  studyHall: "884339856925396992",
} as const;

/** The Architus bot's user id. */
export const ARCHITUS_BOT_ID = "448546825532866560";

/** The hard-coded Architus staff (super-admin) user id. */
export const ARCHITUS_STAFF_ID = "214037134477230080";
