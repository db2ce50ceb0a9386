import { DiscordPermission } from "../../gateway/protocol/mod.ts";
import type { DemoPersonKey } from "./_demo_people.ts";

/** A Discord guild some demo users are in that Architus has not joined. */
export interface DiscordOnlyGuild {
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
  readonly ownerId: string;
  /** Discord's approximate member count. */
  readonly memberCount: number;
  /** The demo users in it, with their Discord permission bits there. */
  readonly members: Readonly<Partial<Record<DemoPersonKey, number>>>;
}

/** Discord's VIEW_CHANNEL and SEND_MESSAGES: an ordinary member's bits. */
const MEMBER_BITS = 0x400 | 0x800;
const MANAGER_BITS = MEMBER_BITS | DiscordPermission.MANAGE_GUILD;

/**
 * The guilds without Architus, as Discord lists them for a user: the guild
 * list shows them apart, with "Add Architus" where the user may add bots
 * (MANAGE_GUILD).
 */
export const DISCORD_ONLY_GUILDS: readonly DiscordOnlyGuild[] = [
  {
    id: "601223485871603712",
    name: "Pixel Art Club",
    icon: null,
    ownerId: "601223119331508224",
    memberCount: 412,
    members: { member: MANAGER_BITS, architusAdmin: MEMBER_BITS, nonMember: MEMBER_BITS },
  },
  {
    id: "712094468195844107",
    name: "Weekend Hikers",
    icon: null,
    ownerId: "712094122341666816",
    memberCount: 57,
    members: { member: MEMBER_BITS, discordAdmin: MANAGER_BITS },
  },
  {
    id: "823745101996163082",
    name: "Synth Builders",
    icon: null,
    ownerId: "823744890045432837",
    memberCount: 1893,
    members: { architusAdmin: MANAGER_BITS, member: MEMBER_BITS, staff: MANAGER_BITS },
  },
];
