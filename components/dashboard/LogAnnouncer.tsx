// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatCount } from "../../lib/format_count.ts";

export interface LogAnnouncerProps {
  /** The newest event shown, if any. */
  readonly newestId: string | undefined;
  /** How many shown events are newer than `id`. */
  readonly countNewer: (id: string) => number;
  /** Nothing is said while the reader holds the view (paused) or the feed is not live. */
  readonly quiet: boolean;
}

/** At most one announcement this often, however fast events come. */
export const ANNOUNCE_INTERVAL_MS = 10_000;

/**
 * What a screen reader hears of a busy log: not every row, which would
 * drown everything else, but at most every ten seconds how many new events
 * arrived ("12 new events"). A polite live region, read when the reader is
 * idle.
 */
export function LogAnnouncer({ newestId, countNewer, quiet }: LogAnnouncerProps): VNode {
  const [message, setMessage] = useState("");
  const latest = useRef({ newestId, countNewer, quiet });
  latest.current = { newestId, countNewer, quiet };
  /** The newest event at the last announcement: what came after it is new. */
  const mark = useRef(newestId);
  // The first events to arrive set the mark: the history loaded at the start is not news.
  if (mark.current === undefined) mark.current = newestId;

  useEffect(() => {
    const timer = setInterval(() => {
      const now = latest.current;
      const since = mark.current;
      mark.current = now.newestId;
      if (now.quiet || since === undefined || now.newestId === since) return;
      const fresh = now.countNewer(since);
      if (fresh <= 0) return;
      setMessage(`${formatCount(fresh)} new ${fresh === 1 ? "event" : "events"}`);
    }, ANNOUNCE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <p class="sr-only" role="status" aria-atomic="true" data-testid="log-announcer">
      {message}
    </p>
  );
}
