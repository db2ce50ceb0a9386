/**
 * Small helpers the parts share: progress output, medians, waiting.
 *
 * @module
 */
import { Histogram, type HistogramJson } from "../shared/histogram.mjs";
import type { Settings } from "./settings.ts";
import { round } from "./proc.ts";

const encoder = new TextEncoder();

/** Progress on stderr (stdout stays free for the summary). */
export function log(message: string): void {
  const time = new Date().toISOString().slice(11, 19);
  Deno.stderr.writeSync(encoder.encode(`[bench ${time}] ${message}\n`));
}

export interface PartContext {
  readonly settings: Settings;
  /** A fresh step number (events carry it in their sequence numbers). */
  nextStep(): number;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

/** The median of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid] as number : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** Medians of every numeric field of `rows` (fields missing in a row are skipped). */
export function medianOf<T extends object>(rows: readonly T[]): T {
  const out: Record<string, number> = {};
  const keys = new Set(rows.flatMap((r) => Object.keys(r)));
  for (const key of keys) {
    const values = rows.map((r) => (r as Record<string, unknown>)[key]).filter((v) =>
      typeof v === "number"
    ) as number[];
    if (values.length > 0) out[key] = median(values);
  }
  return out as T;
}

/** Spread of a list as (max − min) / median, in percent. */
export function spreadPct(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length < 2) return 0;
  const m = median(v);
  return m === 0 ? 0 : round(((Math.max(...v) - Math.min(...v)) / m) * 100, 1);
}

/** p50, p99 and max of a histogram, in milliseconds (2 decimals). */
export function latencySummary(json: HistogramJson): { p50: number; p99: number; max: number } {
  const h = new Histogram();
  h.merge(json);
  return {
    p50: round(h.percentile(0.5), 2),
    p99: round(h.percentile(0.99), 2),
    max: round(h.max, 2),
  };
}
