// This module is browser-compatible.
import { useEffect, useState } from "preact/hooks";
import { type PoolEntityMap, type PoolSlice, type PoolType, selectPool } from "../../client/mod.ts";
import { type LoadOutcome, loadPool } from "./pool_loader.ts";
import { useDashboardStore, useSelector } from "./use_store.ts";

export interface PoolView<T> {
  readonly slice: PoolSlice<T>;
  /** Why the load failed (its error fields); null while it loads or once it worked. */
  readonly failure: LoadOutcome;
  /** This view's load has ended (worked or failed). */
  readonly settled: boolean;
}

/**
 * A guild pool for a view: asks for it whole when the view opens (unless
 * the store has it whole already) and follows it in the store, where the
 * gateway's `log_pool` pushes keep it current. With `enabled: false` it
 * asks nothing (a view without the right to read it).
 */
export function usePool<T extends PoolType>(
  type: T,
  guildId: string,
  options: { readonly enabled?: boolean; readonly online?: boolean } = {},
): PoolView<PoolEntityMap[T]> {
  const store = useDashboardStore();
  const enabled = options.enabled ?? true;
  const online = options.online ?? false;
  const slice = useSelector((state) => selectPool(state.pools, type, guildId));
  const [failure, setFailure] = useState<LoadOutcome>(null);
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    setFailure(null);
    setSettled(false);
    void loadPool(store, type, guildId, { online }).then((outcome) => {
      if (!current) return;
      setFailure(outcome);
      setSettled(true);
    });
    return () => {
      current = false;
    };
  }, [store, type, guildId, enabled, online]);
  return { slice, failure, settled };
}
