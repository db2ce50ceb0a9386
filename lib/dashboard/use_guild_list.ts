// This module is browser-compatible.
import { useEffect, useMemo, useState } from "preact/hooks";
import {
  gatewayForgetPools,
  gatewayRequest,
  type PartialGuild,
  selectPool,
} from "../../client/mod.ts";
import { compareNatural } from "../natural_order.ts";
import { loadPool } from "./pool_loader.ts";
import { useDashboardStore, useSelector } from "./use_store.ts";

export interface GuildList {
  /** The user's guilds with Architus, by name; null while they load. */
  readonly guilds: readonly PartialGuild[] | null;
  /** Their Discord guilds Architus is not in, by name. */
  readonly withoutArchitus: readonly PartialGuild[];
  readonly error: string | null;
  /** The user's name, once known. */
  readonly userName: string | null;
}

const byName = (a: PartialGuild, b: PartialGuild) => compareNatural(a.name, b.name);

/**
 * The signed-in user's guilds (the `partial_guild` pool, through the store;
 * the middleware reloads it after a reconnect) and their name. A new user
 * starts from nothing: the previous one's guilds and users are forgotten.
 */
export function useGuildList(userId: string, knownName: string | null): GuildList {
  const store = useDashboardStore();
  const [error, setError] = useState<string | null>(null);
  const slice = useSelector((state) => selectPool(state.pools, "partial_guild", null));
  const users = useSelector((state) => selectPool(state.pools, "user", null));

  useEffect(() => {
    let live = true;
    store.dispatch(gatewayForgetPools(null));
    setError(null);
    void loadPool(store, "partial_guild", null).then((failure) => {
      if (live && failure !== null) setError(`Could not load your servers: ${failure.human}`);
    });
    if (knownName === null) {
      void store.dispatch(gatewayRequest("pool_request", { type: "user", ids: [userId] }));
    }
    return () => {
      live = false;
    };
  }, [store, userId, knownName]);

  const lists = useMemo(() => {
    // After a reconnect the list stays while the middleware loads it again.
    if (!slice.fullyPopulated && slice.ids.length === 0) {
      return { guilds: null, withoutArchitus: [] };
    }
    const all = Object.values(slice.entities);
    return {
      guilds: all.filter((guild) => guild.has_architus).sort(byName),
      withoutArchitus: all.filter((guild) => !guild.has_architus).sort(byName),
    };
  }, [slice]);
  return { ...lists, error, userName: knownName ?? users.entities[userId]?.username ?? null };
}
