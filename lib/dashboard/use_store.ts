// This module is browser-compatible.
import { createContext } from "preact";
import { useContext, useEffect, useReducer, useRef } from "preact/hooks";
import type { DashboardState, DashboardStore } from "./dashboard_store.ts";

/** The dashboard's store, for the views under the island. */
export const StoreContext = createContext<DashboardStore | null>(null);

export function useDashboardStore(): DashboardStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error("no dashboard store: render under <StoreContext.Provider>");
  return store;
}

/**
 * A value read from the store, redrawn when it changes (by identity). Select
 * slices, not new arrays: derive those with `useMemo` over the slice.
 */
export function useSelector<T>(select: (state: DashboardState) => T): T {
  const store = useDashboardStore();
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const value = select(store.getState());
  const latest = useRef({ select, value });
  latest.current = { select, value };
  useEffect(() => {
    const check = () => {
      const { select, value } = latest.current;
      if (!Object.is(select(store.getState()), value)) redraw(0);
    };
    check();
    return store.subscribe(check);
  }, [store]);
  return value;
}
