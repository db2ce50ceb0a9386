/**
 * Before and after this round: the gateway beside `gateway-before` (the
 * first round's gateway, `before.ts`) measured in the same run, for the
 * figures the issue names: each fan-out scenario's saturation throughput and
 * the idle memory per connection (RSS). A figure is "within 10 %" when it is
 * at most 10 % worse than the first round's (lower throughput, more memory);
 * better by any amount counts as within. Two figures that help read them are
 * shown beside, not required: the server's CPU per delivery at the highest
 * step both kept up with (on two shared cores the receivers often limit the
 * throughput of both) and the JS heap per idle connection (less noisy than
 * RSS).
 *
 * @module
 */
import type { SystemRun } from "../parts/fanout.ts";
import type { Results } from "./results.ts";
import { metaLine, n, table, us } from "./markdown.ts";
import { round } from "./proc.ts";

/** How much worse than the first round a figure may be. */
export const TOLERANCE = 0.1;

export interface BeforeAfter {
  /** What is compared, in words. */
  readonly what: string;
  readonly unit: string;
  readonly before: number;
  readonly after: number;
  /** after ÷ before. */
  readonly ratio: number;
  /** Which way is better. */
  readonly better: "higher" | "lower";
  /** At most `TOLERANCE` worse than the first round. */
  readonly within: boolean;
  /** One of the issue's figures (false: shown to help read them). */
  readonly required: boolean;
  /** Why the comparison is weaker than it looks (a lower bound, the receiver the limit). */
  readonly note?: string;
}

function within(after: number, before: number, better: "higher" | "lower"): boolean {
  return better === "higher"
    ? after >= before * (1 - TOLERANCE)
    : after <= before * (1 + TOLERANCE);
}

/** What weakens a fan-out figure: no saturation (a lower bound), or the receivers the limit. */
function fanoutNote(who: string, run: SystemRun): string[] {
  const notes: string[] = [];
  if (!run.saturated) notes.push(`${who} did not saturate (a lower bound)`);
  const best = run.steps.reduce<SystemRun["steps"][number] | undefined>(
    (a, b) => (a === undefined || b.median.delivered > a.median.delivered ? b : a),
    undefined,
  );
  if (best?.clientBound) notes.push(`${who}'s best step was client-bound`);
  return notes;
}

function compare(
  what: string,
  unit: string,
  after: number,
  before: number,
  better: "higher" | "lower",
  required: boolean,
  note?: string,
): BeforeAfter {
  return {
    what,
    unit,
    before,
    after,
    ratio: round(after / before, 3),
    better,
    within: within(after, before, better),
    required,
    note,
  };
}

/** Server CPU per delivery at the highest offered load both systems kept up with. */
function perDelivery(title: string, after: SystemRun, before: SystemRun): BeforeAfter | undefined {
  const kept = (run: SystemRun) => run.steps.filter((r) => !r.saturated);
  const common = kept(after).filter((a) => kept(before).some((b) => b.offered === a.offered));
  const a = common.at(-1);
  const b = kept(before).find((r) => r.offered === a?.offered);
  if (a === undefined || b === undefined) return undefined;
  return compare(
    `server CPU per delivery at ${n(a.offered)}/s offered, ${title}`,
    "µs",
    a.median.serverUsPerDelivery,
    b.median.serverUsPerDelivery,
    "lower",
    false,
  );
}

/** Every figure of the issue that both systems have in `results`, and the ones beside them. */
export function compareBefore(results: Results): BeforeAfter[] {
  const out: BeforeAfter[] = [];
  for (const sc of results.parts.fanout?.result.scenarios ?? []) {
    const after = sc.systems.find((s) => s.system === "gateway");
    const before = sc.systems.find((s) => s.system === "gateway-before");
    if (after === undefined || before === undefined) continue;
    if (after.steps.length === 0 || before.steps.length === 0) continue;
    const notes = [...fanoutNote("now", after), ...fanoutNote("first round", before)];
    out.push(compare(
      `fan-out saturation throughput, ${sc.title}`,
      "deliveries/s",
      after.saturationThroughput,
      before.saturationThroughput,
      "higher",
      true,
      notes.length > 0 ? notes.join("; ") : undefined,
    ));
    const cpu = perDelivery(sc.title, after, before);
    if (cpu !== undefined) out.push(cpu);
  }
  const idle = results.parts.idle?.result.systems;
  const after = idle?.find((s) => s.system === "gateway" && !s.error);
  const before = idle?.find((s) => s.system === "gateway-before" && !s.error);
  // The largest stage both reached: the most connections, the least noise per connection.
  const stage = after?.stages.filter((st) =>
    before?.stages.some((b) => b.connections === st.connections)
  ).at(-1);
  const beforeStage = before?.stages.find((b) => b.connections === stage?.connections);
  if (stage !== undefined && beforeStage !== undefined) {
    const at = `${n(stage.connections)} connections`;
    out.push(compare(
      `idle memory per connection (RSS, ${at})`,
      "bytes/conn",
      stage.rssPerConnection,
      beforeStage.rssPerConnection,
      "lower",
      true,
    ));
    out.push(compare(
      `idle JS heap per connection (${at})`,
      "bytes/conn",
      stage.heapPerConnection,
      beforeStage.heapPerConnection,
      "lower",
      false,
    ));
  }
  return out;
}

/** A figure as the tables show it: µs with a decimal, the rest whole, with the unit. */
function value(c: BeforeAfter, x: number): string {
  return `${c.unit === "µs" ? us(x) : n(x)} ${c.unit}`;
}

/** "+4.2 %" / "−12 %": the change from the first round. */
function change(c: BeforeAfter): string {
  const pct = (c.ratio - 1) * 100;
  const text = `${Math.abs(pct) >= 10 ? Math.round(Math.abs(pct)) : round(Math.abs(pct), 1)} %`;
  return pct === 0 ? "0 %" : `${pct > 0 ? "+" : "−"}${text}`;
}

/** One line per figure, for the console after a run. */
export function beforeLines(results: Results): string[] {
  return compareBefore(results).map((c) =>
    `${(c.required ? (c.within ? "within" : "WORSE") : "–").padEnd(6)} ${c.what}, ` +
    `now vs first round${c.required ? "" : " (beside, not required)"}\n       ` +
    `${value(c, c.after)} vs ${value(c, c.before)} → ${c.ratio}× (${change(c)}; ` +
    `${c.better} is better)` +
    (c.note ? `\n       ${c.note}` : "")
  );
}

/** The sentence under the table: whether each figure is within 10 %. */
function verdict(rows: readonly BeforeAfter[]): string {
  const fanout = rows.filter((c) => c.required && c.unit === "deliveries/s");
  const idle = rows.filter((c) => c.required && c.unit !== "deliveries/s");
  const say = (list: readonly BeforeAfter[], what: string) => {
    if (list.length === 0) return `${what}: not measured in this run.`;
    const missed = list.filter((c) => !c.within);
    if (missed.length === 0) {
      return `${what}: **within ${TOLERANCE * 100} %** of the first round's` +
        (list.length > 1 ? ` in all ${list.length} cases.` : ".");
    }
    return `${what}: **not within ${TOLERANCE * 100} %** (${
      missed.map((c) => `${c.what}: ${change(c)}`).join("; ")
    }).`;
  };
  return `${say(fanout, "Fan-out throughput")} ${say(idle, "Idle memory per connection")}`;
}

export function beforeSection(results: Results): string {
  const rows = compareBefore(results);
  if (rows.length === 0) return "";
  const label = results.parts.fanout?.result.scenarios.flatMap((s) => s.systems)
    .find((s) => s.system === "gateway-before")?.label ??
    results.parts.idle?.result.systems.find((s) => s.system === "gateway-before")?.label;
  const out: string[] = [];
  out.push("## Before and after this round\n");
  out.push(
    `The gateway beside \`gateway-before\`, "${label ?? "the first round's gateway"}": the ` +
      "first round's code, checked out by the benchmark and driven by today's harness exactly " +
      "as the gateway is (same environment, flags, publisher and receiver), one after the other " +
      "in the same run. A figure is within " + `${TOLERANCE * 100} %` + " when it is at most " +
      `${TOLERANCE * 100} % worse than the first round's (less throughput, more memory); ` +
      "better by any amount counts. Beside the issue's figures, not required: the server's CPU " +
      "per delivery at the highest step both kept up with (on two shared cores the receivers " +
      "often limit both systems' throughput) and the JS heap per idle connection (steadier " +
      "than RSS).\n",
  );
  for (const part of ["fanout", "idle"] as const) {
    const meta = results.parts[part]?.meta;
    if (meta !== undefined) out.push(`${part}: ${metaLine(meta, part === "fanout")}\n`);
  }
  out.push(table(
    ["figure", "first round", "now", "now ÷ first round", "change", `within ${TOLERANCE * 100} %`],
    rows.map((c) => [
      c.what + (c.note ? ` (${c.note})` : ""),
      value(c, c.before),
      value(c, c.after),
      `${c.ratio}×`,
      change(c),
      c.required ? (c.within ? "yes" : "**no**") : `${c.within ? "yes" : "no"} (not required)`,
    ]),
  ));
  out.push("");
  out.push(verdict(rows) + "\n");
  return out.join("\n");
}
