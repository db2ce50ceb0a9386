// This module is browser-compatible.
import type { ComponentChildren, VNode } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * Draws `children` one task after it mounts, once the browser has painted
 * what came with it (`placeholder` until then, nothing by default). For
 * the parts of a view nobody reads in its first frame (a folded menu's
 * options, a panel below the fold): mounting them later splits one long
 * task into two shorter ones, so a slow phone answers a tap sooner.
 */
export function Later(
  { children, placeholder = null }: { children: ComponentChildren; placeholder?: VNode | null },
): VNode | null {
  return useNextTask() ? <>{children}</> : placeholder;
}

/**
 * False until one task after the component mounts, then true: a task of
 * its own, not the one that runs the effects of everything mounted with it.
 */
export function useNextTask(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setReady(true), 0);
    return () => clearTimeout(timer);
  }, []);
  return ready;
}
