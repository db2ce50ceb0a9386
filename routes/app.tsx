import type { VNode } from "preact";
import type { GuildRef } from "../components/dashboard/GuildSidebar.tsx";
import { type DashboardSignIn, SignInPanel } from "../components/dashboard/SignInPanel.tsx";
import { Island } from "./_island.tsx";
import { Layout, renderDocument } from "./_layout.tsx";
import type { IslandAssets } from "./assets.ts";

/** Where production sends people to sign in. */
export const ARCHITUS_SIGN_IN_URL = "https://archit.us";

export interface DashboardPageProps {
  /** Where the island opens its WebSocket. */
  readonly gatewayPath: string;
  readonly signIn: DashboardSignIn;
  readonly quickGuilds: readonly GuildRef[];
  /** Development: each guild offers the demo bot's channel. */
  readonly botChannel: boolean;
  /** Where member avatars come from; null: coloured initials only. */
  readonly avatarCdn: string | null;
}

/**
 * The dashboard page: one island. The server cannot know who is signed in
 * (the cookie is the gateway's business), so it renders the island's
 * "connecting" state; without JavaScript the sign-in still works, from the
 * `<noscript>` copy of the picker.
 */
function DashboardPage(props: DashboardPageProps): VNode {
  return (
    <section class="dash-page" aria-labelledby="dash-heading">
      <h1 id="dash-heading" class="sr-only">Architus dashboard</h1>
      <noscript>
        <div class="dash-nojs">
          <p class="nojs-note">
            The dashboard streams over a WebSocket and needs JavaScript.
          </p>
          <SignInPanel signIn={props.signIn} />
        </div>
      </noscript>
      <Island
        name="Dashboard"
        props={{
          gatewayPath: props.gatewayPath,
          signIn: props.signIn,
          quickGuilds: props.quickGuilds,
          botChannel: props.botChannel,
          avatarCdn: props.avatarCdn,
        }}
      />
    </section>
  );
}

/** The dashboard as a complete HTML document. */
export function renderDashboardPage(
  options: DashboardPageProps & { readonly assets: IslandAssets },
): string {
  return renderDocument(
    <Layout
      title="Dashboard — Architus"
      description="The Architus dashboard: your servers and their live logs, streamed over the realtime gateway."
      assets={options.assets}
      page="dashboard"
      path="/app"
    >
      <DashboardPage
        gatewayPath={options.gatewayPath}
        signIn={options.signIn}
        quickGuilds={options.quickGuilds}
        botChannel={options.botChannel}
        avatarCdn={options.avatarCdn}
      />
    </Layout>,
  );
}
