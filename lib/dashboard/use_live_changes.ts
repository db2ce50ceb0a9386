// This module is browser-compatible.
import { useEffect, useRef, useState } from "preact/hooks";
import type { PoolType } from "../../client/mod.ts";
import type { LiveChange } from "./live_changes.ts";
import { useSelector } from "./use_store.ts";

/** How long a changed row stays marked. */
export const HIGHLIGHT_MS = 2500;

/**
 * Ids of a guild pool's entities added or changed by a push in the last
 * `HIGHLIGHT_MS`, and `onChange` with each push that arrives while the view
 * is open (for its live region). Loads mark nothing: only pushes do.
 */
export function useLiveChanges(
  type: PoolType,
  guildId: string,
  onChange?: (change: LiveChange) => void,
): ReadonlySet<string> {
  const changes = useSelector((state) => state.live);
  const seen = useRef<number | null>(null);
  const [marked, setMarked] = useState<ReadonlyMap<string, number>>(new Map());
  const report = useRef(onChange);
  report.current = onChange;

  useEffect(() => {
    const newest = changes[changes.length - 1]?.seq ?? 0;
    const after = seen.current;
    seen.current = newest;
    // What came before the view opened is not news.
    if (after === null) return;
    const fresh = changes.filter((c) => c.seq > after && c.type === type && c.guildId === guildId);
    if (fresh.length === 0) return;
    for (const change of fresh) report.current?.(change);
    const until = Date.now() + HIGHLIGHT_MS;
    setMarked((current) => {
      const next = new Map(current);
      for (const change of fresh) {
        if (change.action === "remove") next.delete(change.id);
        else next.set(change.id, until);
      }
      return next;
    });
  }, [changes, type, guildId]);

  useEffect(() => {
    if (marked.size === 0) return;
    const soonest = Math.min(...marked.values());
    const timer = setTimeout(() => {
      const now = Date.now();
      setMarked((current) => new Map([...current].filter(([, until]) => until > now)));
    }, Math.max(0, soonest - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [marked]);

  return new Set(marked.keys());
}
