// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { RateMeter } from "../../lib/dashboard/rate_meter.ts";
import { formatCount } from "../../lib/format_count.ts";

/** How often the rate is read again while nothing else draws it. */
const TICK_MS = 1000;

/**
 * The log's live rate, in events per second. It decays while nothing
 * arrives, so it ticks by itself once a second: only this number is drawn
 * again then, not the viewer around it; the viewer drawing new events
 * draws it too.
 */
export function LiveRate({ meter }: { meter: RateMeter }): VNode {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const rate = meter.rate();
  return (
    <span
      class="rate"
      data-testid="log-rate"
      data-rate={rate.toFixed(1)}
      title="Events per second over the last 5 seconds"
    >
      <strong>{rate < 10 ? rate.toFixed(1) : formatCount(Math.round(rate))}</strong>
      <span class="rate-unit">events/s</span>
      <span class="rate-unit-short" aria-hidden="true">/s</span>
    </span>
  );
}
