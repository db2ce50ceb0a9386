// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import {
  type GatewayClient,
  GatewayRequestError,
  type PartialGuild,
  PoolCache,
} from "../client/mod.ts";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { type GuildRef, GuildSidebar } from "../components/dashboard/GuildSidebar.tsx";
import { LogViewer } from "../components/dashboard/LogViewer.tsx";
import { type DashboardSignIn, SignInPanel } from "../components/dashboard/SignInPanel.tsx";
import { type ConnectionStatus, useGateway } from "../lib/use_gateway.ts";

export interface DashboardProps {
  /** The gateway's WebSocket endpoint, usually a path relative to the page (`/gateway`). */
  readonly gatewayPath: string;
  readonly signIn: DashboardSignIn;
  /** Guilds offered to a user who belongs to none (Architus staff may open any). */
  readonly quickGuilds: readonly GuildRef[];
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

function describe(error: unknown): string {
  return error instanceof GatewayRequestError ? error.human : "Something went wrong.";
}

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
export function Dashboard({ gatewayPath, signIn, quickGuilds }: DashboardProps): VNode {
  const [hydrated, setHydrated] = useState(false);
  const gateway = useGateway(gatewayPath);
  const client = gateway.client;
  const session = useSession(client);
  // State lives in hooks over the client's PoolCache (entities, kept live across reconnects)
  // and LogFeed (the log), not in a Redux store: the dashboard is one island with no state
  // shared across islands, and a store would add code to the page for nothing the cache lacks.
  const cache = useMemo(() => new PoolCache(), []);
  const [guilds, setGuilds] = useState<readonly PartialGuild[] | null>(null);
  const [guildError, setGuildError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [userName, setUserName] = useState<string | null>(null);

  useEffect(() => {
    setHydrated(true);
    setSelected(selectedFromUrl());
  }, []);

  useEffect(() => {
    if (client === null) return;
    return cache.attach(client);
  }, [client, cache]);

  const signedIn = session.known && session.elevated && session.userId !== null;
  const userId = signedIn ? session.userId : null;

  // The user's guilds (kept live by the cache: pushes, and a reload after a reconnect) and name.
  useEffect(() => {
    if (client === null || userId === null) {
      setGuilds(null);
      return;
    }
    let live = true;
    setGuildError(null);
    const stopWatching = cache.watch("partial_guild", null, (snapshot) => {
      if (!snapshot.fullyPopulated) return;
      // Guilds without Architus (has_architus false) cannot be watched: not in this list.
      setGuilds(
        [...snapshot.entities.values()].filter((g) => g.has_architus)
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
    });
    cache.all("partial_guild", null).catch((error) => {
      if (live) setGuildError(`Could not load your servers: ${describe(error)}`);
    });
    const demo = signIn.mode === "dev"
      ? signIn.users.find((user) => user.id === userId)
      : undefined;
    setUserName(demo?.username ?? null);
    if (demo === undefined) {
      cache.get("user", null, [userId]).then((found) => {
        if (live) setUserName(found.entities[0]?.username ?? null);
      }).catch(() => {});
    }
    return () => {
      live = false;
      stopWatching();
    };
  }, [client, cache, userId, signIn]);

  const select = (id: string | null) => {
    setSelected(id);
    const url = new URL(globalThis.location.href);
    if (id === null) url.searchParams.delete(GUILD_PARAM);
    else url.searchParams.set(GUILD_PARAM, id);
    globalThis.history.replaceState(null, "", url);
  };

  // Leaving every guild (signed out, or nothing chosen) ends the server-side spectate too.
  useEffect(() => {
    if (client !== null && (selected === null || userId === null) && client.spectating !== null) {
      client.spectate(null).catch(() => {});
    }
  }, [client, selected, userId]);

  const live = hydrated && client !== null;
  const state = !live || !session.known ? "connecting" : signedIn ? "signed-in" : "signed-out";
  const selectedGuild: GuildRef | null = selected === null ? null : (
    guilds?.find((guild) => guild.id === selected) ??
      quickGuilds.find((guild) => guild.id === selected) ??
      { id: selected, name: `Server ${selected}` }
  );

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
      {state === "signed-in" && client !== null && userId !== null && (
        <div class="dash-shell">
          <GuildSidebar
            guilds={guilds}
            error={guildError}
            selected={selected}
            onSelect={select}
            quickGuilds={quickGuilds}
            account={{ id: userId, name: userName ?? userId }}
            signOutAction={signIn.mode === "dev" ? signIn.signOutAction : null}
          />
          <div class="dash-main">
            {selectedGuild === null
              ? (
                <section class="dash-empty" data-testid="pick-guild">
                  <ConnectionBadge status={gateway.status} />
                  <h2>Pick a server</h2>
                  <p>
                    Pick a server to watch its log live: messages, reactions, members coming and
                    going, and moderation, as they happen.
                  </p>
                </section>
              )
              : (
                <LogViewer
                  key={selectedGuild.id}
                  client={client}
                  cache={cache}
                  guild={selectedGuild}
                  status={gateway.status}
                />
              )}
          </div>
        </div>
      )}
    </div>
  );
}
