import type { GuildRef } from "../components/dashboard/GuildSidebar.tsx";
import type { DemoAccountView } from "../components/dashboard/SignInPanel.tsx";
import { createDemoDataset, DEMO_GUILD_IDS } from "../demo/mod.ts";

/** The demo users, in the README's order: the keys `deno task token` takes. */
const ORDER = ["staff", "architusAdmin", "discordAdmin", "member", "nonMember"] as const;

export interface DemoDirectory {
  readonly accounts: readonly DemoAccountView[];
  readonly guilds: readonly GuildRef[];
}

let directory: DemoDirectory | undefined;

/**
 * The demo users the development sign-in offers, and the demo guilds, from
 * the seeded dataset the embedded backend serves (built once, small: the
 * big guild's 10,000 members are not needed for names and ids).
 */
export function demoDirectory(): DemoDirectory {
  return directory ??= (() => {
    const data = createDemoDataset({ bigGuildMembers: 3 });
    const accounts = ORDER.map((key): DemoAccountView => {
      const user = data.demoUsers[key];
      const colon = user.role.indexOf(": ");
      return {
        key,
        id: user.id,
        username: user.username,
        tier: colon < 0 ? user.role : user.role.slice(0, colon),
        description: colon < 0 ? "" : capitalize(user.role.slice(colon + 2)),
      };
    });
    const guilds = Object.values(DEMO_GUILD_IDS).map((id) => ({
      id,
      name: data.guild(id)?.name ?? id,
    }));
    return { accounts, guilds };
  })();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
