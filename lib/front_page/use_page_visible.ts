// This module is browser-compatible.
import { useEffect, useState } from "preact/hooks";

/**
 * Whether the page is in a visible tab. The auto-typer waits while it is
 * not: a tab left open in the background would otherwise keep the gateway
 * busy for nobody.
 */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== "hidden");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}
