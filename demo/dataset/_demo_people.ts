import type { User } from "../../gateway/protocol/mod.ts";
import { ARCHITUS_BOT_ID, ARCHITUS_STAFF_ID } from "./demo_ids.ts";

/** The people of the dataset with a fixed identity: the bot and one user per access tier. */
export type DemoPersonKey =
  | "bot"
  | "staff"
  | "architusAdmin"
  | "discordAdmin"
  | "member"
  | "nonMember";

interface DemoPersonSpec {
  readonly key: DemoPersonKey;
  readonly user: User;
  /** The first name their nicks are made from. */
  readonly given: string | null;
  /** A human description of the user's tier; the bot has none. */
  readonly role: string | null;
}

/** In the order they are registered (the order of the dataset's users). */
export const DEMO_PEOPLE: readonly DemoPersonSpec[] = [
  {
    key: "bot",
    user: {
      id: ARCHITUS_BOT_ID,
      username: "architus",
      discriminator: "7145",
      avatar: "2a9d0b6f3c8e41d7a5b0c9e8f7d6a5b4",
      bot: true,
    },
    given: null,
    role: null,
  },
  {
    key: "staff",
    user: {
      id: ARCHITUS_STAFF_ID,
      username: "architus_staff",
      discriminator: "0001",
      avatar: "9f1e2d3c4b5a69788796a5b4c3d2e1f0",
    },
    given: null,
    role: "Architus staff: the hard-coded super-admin; member of no guild",
  },
  {
    key: "architusAdmin",
    user: {
      id: "405016269205536769",
      username: "demo_owner",
      discriminator: "1024",
      avatar: "c0ffee00d15ea5e5b0a710ad5eed1e55",
    },
    given: "ada",
    role: "Architus admin: owner of Architus Demo (a plain member of Study Hall)",
  },
  {
    key: "discordAdmin",
    user: {
      id: "245880649293103108",
      username: "demo_moderator",
      discriminator: "2048",
      avatar: "a_5eed5eed1234567890abcdefabcdef01",
    },
    given: "max",
    role: "Discord admin: Moderator role (MANAGE_GUILD, not ADMINISTRATOR) in Architus Demo",
  },
  {
    key: "member",
    user: {
      id: "700794554307317769",
      username: "demo_member",
      discriminator: "4096",
      avatar: null,
    },
    given: "mia",
    role: "Member: plain member of Architus Demo and Big Guild, Architus permissions 0x012",
  },
  {
    key: "nonMember",
    user: {
      id: "815499199956127746",
      username: "demo_outsider",
      discriminator: "8192",
      avatar: "0dd5ba11c0de4b1d8e2f3a4b5c6d7e8f",
    },
    given: "olli",
    role: "Non-member: member of Gaming Lounge only, not of Architus Demo nor Big Guild",
  },
];
