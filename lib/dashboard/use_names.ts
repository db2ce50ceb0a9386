// This module is browser-compatible.
import { useEffect, useMemo, useReducer } from "preact/hooks";
import { NameDirectory } from "./name_directory.ts";
import { useDashboardStore } from "./use_store.ts";

/**
 * A guild's names (members by id, channels, roles) for a view, asked for in
 * batches as the view wants them; the view redraws when names arrive.
 */
export function useNames(guildId: string, options: { guildPools?: boolean } = {}): NameDirectory {
  const store = useDashboardStore();
  const names = useMemo(() => new NameDirectory({ store, guildId }), [store, guildId]);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const guildPools = options.guildPools ?? false;
  useEffect(() => {
    const off = names.subscribe(() => redraw(0));
    if (guildPools) void names.loadGuildPools();
    return () => {
      off();
      names.stop();
    };
  }, [names, guildPools]);
  return names;
}
