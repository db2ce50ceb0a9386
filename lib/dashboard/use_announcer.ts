// This module is browser-compatible.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** At most one announcement per window; what comes meanwhile is summed up in the next. */
const WINDOW_MS = 2000;

/**
 * A polite live region's text that cannot flood a screen reader: the first
 * change is said at once, later ones at most every `WINDOW_MS`, several at
 * a time summed up ("3 changes: …").
 */
export function useAnnouncer(): { readonly text: string; announce(message: string): void } {
  const [text, setText] = useState("");
  const pending = useRef<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flush = useCallback(() => {
    timer.current = undefined;
    const messages = pending.current.splice(0);
    if (messages.length === 0) return;
    setText(
      messages.length === 1
        ? messages[0] as string
        : `${messages.length} changes: ${messages.slice(0, 2).join("; ")}${
          messages.length > 2 ? "; …" : ""
        }`,
    );
    timer.current = setTimeout(flush, WINDOW_MS);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);
  const announce = useCallback((message: string) => {
    pending.current.push(message);
    if (timer.current === undefined) flush();
  }, [flush]);
  return { text, announce };
}
