// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { type GatewayClient, gatewayForgetPools } from "../client/mod.ts";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import type { GuildRef } from "../components/dashboard/GuildSidebar.tsx";
import { type DashboardSignIn, SignInPanel } from "../components/dashboard/SignInPanel.tsx";
import { SignedInShell } from "../components/dashboard/SignedInShell.tsx";
import { createDashboardStore } from "../lib/dashboard/dashboard_store.ts";
import { type GuildTab, TAB_PARAM, tabFromSearch } from "../lib/dashboard/guild_tabs.ts";
import { StoreContext } from "../lib/dashboard/use_store.ts";
import { type ConnectionStatus, useGateway } from "../lib/use_gateway.ts";

export interface DashboardProps {
  /** The gateway's WebSocket endpoint, usually a path relative to the page (`/gateway`). */
  readonly gatewayPath: string;
  readonly signIn: DashboardSignIn;
  /** Guilds offered to a user who belongs to none (Architus staff may open any). */
  readonly quickGuilds: readonly GuildRef[];
  /** Development: each guild offers the demo bot's channel (`interpret` with its id). */
  readonly botChannel: boolean;
  /** Where member avatars come from (Discord's CDN); null: coloured initials only. */
  readonly avatarCdn: string | null;
}

/** Who the connection is, as the gateway last said. */
interface SessionView {
  /** False until the first connection has been restored (elevation known). */
  readonly known: boolean;
  readonly elevated: boolean;
  readonly userId: string | null;
}

const UNKNOWN: SessionView = { known: false, elevated: false, userId: null };

/** The URL parameter that keeps the open guild across reloads. */
const GUILD_PARAM = "guild";
const ID = /^[0-9]{1,20}$/;

/**
 * Whether the connection is signed in. The dashboard never reads the
 * (HttpOnly) cookie: the gateway tells, in its answer to `session` on every
 * connection, and by `demoted` when a sign-in ends.
 */
function useSession(client: GatewayClient | null): SessionView {
  const [session, setSession] = useState<SessionView>(UNKNOWN);
  useEffect(() => {
    if (client === null) return;
    const update = () =>
      setSession((current) => ({
        known: current.known || client.state === "open",
        elevated: client.elevated,
        userId: client.userId,
      }));
    const offs = [
      client.onState((state) => {
        if (state === "open") update();
      }),
      client.on("demoted", update),
      client.on("elevation_return", update),
      client.on("session_return", update),
    ];
    update();
    return () => {
      for (const off of offs) off();
    };
  }, [client]);
  return session;
}

function selectedFromUrl(): string | null {
  const id = new URLSearchParams(globalThis.location?.search ?? "").get(GUILD_PARAM);
  return id !== null && ID.test(id) ? id : null;
}

function ConnectingCard(
  { status, unreachable, onRetry }: {
    status: ConnectionStatus | "preview";
    unreachable: boolean;
    onRetry?: () => void;
  },
): VNode {
  return (
    <section
      class={status === "preview" ? "dash-connecting dash-connecting-static" : "dash-connecting"}
      data-testid="dashboard-connecting"
    >
      <ConnectionBadge status={status} />
      <h2>{unreachable ? "Can’t reach the Architus gateway" : "Connecting to the gateway…"}</h2>
      <p>
        {unreachable
          ? "The dashboard keeps trying and picks up by itself once the connection is back."
          : "The dashboard lives on a WebSocket: it asks the gateway who you are and streams your servers’ logs."}
      </p>
      {unreachable && onRetry !== undefined && (
        <button type="button" class="button button-small" onClick={onRetry}>Retry now</button>
      )}
    </section>
  );
}

/**
 * The dashboard: signs in (development: a demo-user picker; production:
 * archit.us), lists the user's guilds and streams the chosen one's logs.
 */
export function Dashboard(props: DashboardProps): VNode {
  const { gatewayPath, signIn, quickGuilds } = props;
  const [hydrated, setHydrated] = useState(false);
  const gateway = useGateway(gatewayPath);
  const client = gateway.client;
  const session = useSession(client);
  // Entities go through the client library's Redux adapter: one store per connection, its
  // middleware sending the requests and its pool reducer merging answers and log_pool pushes.
  const store = useMemo(() => client === null ? null : createDashboardStore(client), [client]);
  const [selected, setSelected] = useState<string | null>(null);
  const [tab, setTab] = useState<GuildTab>("log");

  useEffect(() => {
    setHydrated(true);
    setSelected(selectedFromUrl());
    setTab(tabFromSearch(globalThis.location?.search ?? ""));
  }, []);

  const signedIn = session.known && session.elevated && session.userId !== null;
  const userId = signedIn ? session.userId : null;
  const demoName = signIn.mode === "dev"
    ? signIn.users.find((user) => user.id === userId)?.username ?? null
    : null;

  const remember = (name: string, value: string | null) => {
    const url = new URL(globalThis.location.href);
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
    globalThis.history.replaceState(null, "", url);
  };
  const select = (id: string | null) => {
    // Whatever the store still holds of either guild is stale (no pushes came for it): the
    // views of the next one load everything again.
    if (store !== null && selected !== null) store.dispatch(gatewayForgetPools(selected));
    if (store !== null && id !== null) store.dispatch(gatewayForgetPools(id));
    setSelected(id);
    remember(GUILD_PARAM, id);
  };
  const selectTab = (next: GuildTab) => {
    setTab(next);
    remember(TAB_PARAM, next === "log" ? null : next);
  };

  // Leaving every guild (signed out, or nothing chosen) ends the server-side spectate too.
  useEffect(() => {
    if (client !== null && (selected === null || userId === null) && client.spectating !== null) {
      client.spectate(null).catch(() => {});
    }
  }, [client, selected, userId]);

  const live = hydrated && client !== null;
  const state = !live || !session.known ? "connecting" : signedIn ? "signed-in" : "signed-out";

  return (
    <div
      class="dashboard"
      data-testid="dashboard"
      data-state={state}
      data-user-id={userId ?? undefined}
      data-hydrated={live ? "true" : undefined}
    >
      {state === "connecting" && (
        <ConnectingCard
          status={live ? gateway.status : "preview"}
          unreachable={live && gateway.unreachable}
          onRetry={gateway.retry}
        />
      )}
      {state === "signed-out" && (
        <div class="dash-signed-out">
          {gateway.status !== "connected" && <ConnectionBadge status={gateway.status} />}
          <SignInPanel signIn={signIn} />
        </div>
      )}
      {state === "signed-in" && client !== null && store !== null && userId !== null && (
        <StoreContext.Provider value={store}>
          <SignedInShell
            client={client}
            status={gateway.status}
            userId={userId}
            knownName={demoName}
            selected={selected}
            onSelect={select}
            tab={tab}
            onTab={selectTab}
            quickGuilds={quickGuilds}
            signOutAction={signIn.mode === "dev" ? signIn.signOutAction : null}
            botChannel={props.botChannel}
            avatarCdn={props.avatarCdn}
          />
        </StoreContext.Provider>
      )}
    </div>
  );
}
