/**
 * Formatting for BENCHMARKS.md: numbers as the tables show them, and
 * Markdown tables. Every section renderer (`report*.ts`) uses these, so a
 * figure reads the same wherever it appears.
 *
 * @module
 */
import type { PartMeta } from "./results.ts";
import { round } from "./proc.ts";

/** An integer with thousands separators; "–" when missing. */
export const n = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? "–" : Math.round(x).toLocaleString("en-US");

/** Milliseconds: one decimal under 100, whole above, "< 0.1" for the smallest. */
export const ms = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x)
    ? "–"
    : x >= 100
    ? n(x)
    : x < 0.1
    ? "< 0.1"
    : String(round(x, 1));

export const num = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : String(x);

/** Cores, two decimals. */
export const cores = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? "–" : round(x, 2).toFixed(2);

/** Microseconds of CPU: one decimal under 100, whole above. */
export const us = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? "–" : x >= 100 ? n(x) : String(round(x, 1));

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The line under a part's heading: when and how it ran, and how busy the machine was. */
export function metaLine(meta: PartMeta | undefined, timed = true): string {
  if (meta === undefined) return "";
  const noise = meta.noise;
  return `_Run ${meta.startedAt.slice(0, 16).replace("T", " ")} UTC` +
    (meta.commit ? ` at commit ${meta.commit}` : "") + `, ${meta.mode} mode` +
    (timed
      ? `, ${meta.repeats} repeat(s) of ${meta.warmMs / 1000} s warm-up + ${
        meta.measureMs / 1000
      } s measured`
      : "") +
    `, ${Math.round(meta.durationSeconds)} s in all.` +
    (noise.windows > 0
      ? ` Other processes took ${num(noise.otherCoresMedian)} cores (median; max ` +
        `${num(noise.otherCoresMax)}) during the measurement windows._`
      : "_");
}
