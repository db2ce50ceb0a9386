// deno-lint-ignore-file no-console
/**
 * The benchmark runner (`deno task bench`, `deno task bench:quick`, one
 * task per part).
 *
 * ```sh
 * deno run -A bench/run.ts                  # every part, full mode (~25 min)
 * deno run -A bench/run.ts fanout idle      # some parts; the others stay in latest.json
 * deno run -A bench/run.ts --quick          # < 2 min, prints a summary, writes a temp file
 * deno run -A bench/run.ts --report-only    # BENCHMARKS.md and charts from latest.json
 * deno run -A bench/run.ts fanout --with=baseline-batched   # more systems in fanout/unbatched
 * ```
 *
 * Full mode writes `bench/results/latest.json` (replacing the entries of
 * the parts it ran), the charts `bench/results/fanout-*.svg` and
 * `BENCHMARKS.md`. Quick mode writes only its JSON (`--out=FILE`, default a
 * temporary file) and prints the targets.
 *
 * @module
 */
import { BENCH_ROOT, PROJECT_ROOT } from "./lib/child.ts";
import { log, type PartContext } from "./lib/common.ts";
import { fanoutChart } from "./lib/chart.ts";
import {
  backgroundLoad,
  calibrate,
  collectNoise,
  loadAverage,
  machineInfo,
  type Noise,
  waitForQuiet,
} from "./lib/machine.ts";
import { median } from "./lib/common.ts";
import { round } from "./lib/proc.ts";
import { renderReport } from "./lib/report.ts";
import { beforeLines } from "./lib/report_before.ts";
import { updateScaling } from "./lib/scaling_figures.ts";
import { PART_NAMES, type PartEntry, type PartName, type Results } from "./lib/results.ts";
import { computeTargets } from "./lib/targets.ts";
import { FULL, QUICK, type Settings, withSystems } from "./lib/settings.ts";
import { ensurePeer, SYSTEM_LABELS, type SystemName } from "./lib/systems.ts";
import { runAmqp } from "./parts/amqp.ts";
import { runFanout } from "./parts/fanout.ts";
import { runIdle } from "./parts/idle.ts";
import { runProfile } from "./parts/profile.ts";
import { runRpc } from "./parts/rpc.ts";
import { runStorm } from "./parts/storm.ts";
import { runUnbatched } from "./parts/unbatched.ts";

const RESULTS = new URL("results/latest.json", BENCH_ROOT);
const REPORT = new URL("BENCHMARKS.md", PROJECT_ROOT);
const SCALING = new URL("docs/scaling.md", PROJECT_ROOT);

function usage(): never {
  console.error(
    "usage: deno run -A bench/run.ts [--quick] [--out=FILE] [--report-only] [--with=SYSTEM,...] " +
      `[${PART_NAMES.join("|")} ...]`,
  );
  Deno.exit(2);
}

const args = Deno.args;
const quick = args.includes("--quick");
const reportOnly = args.includes("--report-only");
const out = args.find((a) => a.startsWith("--out="))?.slice("--out=".length);
const extra = (args.find((a) => a.startsWith("--with="))?.slice("--with=".length) ?? "")
  .split(",").filter((x) => x.length > 0) as SystemName[];
const named = args.filter((a) => !a.startsWith("--"));
for (const a of args) {
  const known = ["--quick", "--report-only"].includes(a) || a.startsWith("--out=") ||
    a.startsWith("--with=");
  if (a.startsWith("--") && !known) {
    usage();
  }
}
for (const p of named) if (!(PART_NAMES as readonly string[]).includes(p)) usage();
for (const x of extra) if (!(x in SYSTEM_LABELS)) usage();
const settings: Settings = withSystems(quick ? QUICK : FULL, extra);
const parts: PartName[] = named.length > 0 ? named as PartName[] : [...PART_NAMES];
const wholeRun = named.length === 0 && !quick;

function loadResults(): Results | undefined {
  try {
    const r = JSON.parse(Deno.readTextFileSync(RESULTS)) as Results;
    return r.schema === 2 ? r : undefined;
  } catch {
    return undefined;
  }
}

function writeOutputs(results: Results): void {
  Deno.mkdirSync(new URL("results/", BENCH_ROOT), { recursive: true });
  Deno.writeTextFileSync(RESULTS, JSON.stringify(results, null, 1) + "\n");
  const m = results.machine;
  for (const sc of results.parts.fanout?.result.scenarios ?? []) {
    const meta = results.parts.fanout!.meta;
    const subtitle = `${m.cpuModel}, ${m.cpus} vCPUs · Deno ${m.deno}, Node ${m.node}, ` +
      `socket.io ${m.socketIo} · median of ${meta.repeats} × ${meta.measureMs / 1000} s · ` +
      meta.startedAt.slice(0, 10);
    Deno.writeTextFileSync(
      new URL(`results/fanout-${sc.id}.svg`, BENCH_ROOT),
      fanoutChart(sc, subtitle),
    );
  }
  Deno.writeTextFileSync(REPORT, renderReport(results));
  const scaling = updateScaling(SCALING, results);
  // The repository's `deno fmt --check` covers the Markdown: write it formatted.
  new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", REPORT.pathname, ...(scaling ? [SCALING.pathname] : [])],
    cwd: PROJECT_ROOT,
    stdout: "null",
    stderr: "null",
  }).outputSync();
}

if (reportOnly) {
  const results = loadResults();
  if (results === undefined) {
    console.error(`no results in ${RESULTS.pathname}`);
    Deno.exit(1);
  }
  writeOutputs(results);
  console.log(`wrote ${REPORT.pathname} and the charts from ${RESULTS.pathname}`);
  Deno.exit(0);
}

let stepCounter = 0;
const context: PartContext = { settings, nextStep: () => ++stepCounter };
const runStarted = performance.now();
const machine = await machineInfo();
const results: Results = (!quick && loadResults()) || {
  schema: 2,
  updatedAt: new Date().toISOString(),
  machine,
  parts: {},
};
results.machine = machine;

if (parts.some((p) => p !== "rpc")) await ensurePeer();
results.machine = await machineInfo();

async function runPart<K extends PartName>(name: K): Promise<PartEntry<K>> {
  const waitStart = performance.now();
  let background: number;
  if (settings.quietWaitMs > 0) {
    background = await waitForQuiet(settings.quietWaitMs);
    if (background > 0.5) log(`the machine is busy (${background} cores of other work); going on`);
  } else {
    background = await backgroundLoad(500);
  }
  const waitedSeconds = round((performance.now() - waitStart) / 1000, 1);
  const startedAt = new Date().toISOString();
  const loadAverageBefore = loadAverage();
  const calibrationMsBefore = calibrate();
  const t0 = performance.now();
  let result: unknown;
  switch (name) {
    case "fanout":
      result = await runFanout(context);
      break;
    case "amqp":
      result = await runAmqp(context);
      break;
    case "unbatched":
      result = await runUnbatched(context);
      break;
    case "idle":
      result = await runIdle(context);
      break;
    case "rpc":
      result = await runRpc(context);
      break;
    case "storm":
      result = await runStorm(context);
      break;
    case "profile":
      result = await runProfile(context, { saturationLoad: saturationLoads() });
      break;
  }
  const durationSeconds = round((performance.now() - t0) / 1000, 1);
  const { other, steal } = collectNoise(result);
  const noise: Noise = {
    backgroundCoresBefore: background,
    waitedSeconds,
    loadAverageBefore,
    calibrationMsBefore,
    calibrationMsAfter: calibrate(),
    otherCoresMedian: round(median(other), 2),
    otherCoresMax: round(other.length > 0 ? Math.max(...other) : NaN, 2),
    stealPctMax: round(steal.length > 0 ? Math.max(...steal) : 0, 2),
    windows: other.length,
  };
  return {
    meta: {
      startedAt,
      commit: (await machineInfo()).gitCommit,
      durationSeconds,
      mode: settings.mode,
      repeats: settings.repeats,
      warmMs: settings.warmMs,
      measureMs: settings.measureMs,
      drainMs: settings.drainMs,
      noise,
    },
    result: result as PartEntry<K>["result"],
  };
}

/** For the profiles: the load at which each system saturated, from the fan-out results. */
function saturationLoads(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sc of results.parts.fanout?.result.scenarios ?? []) {
    for (const run of sc.systems) {
      const last = run.steps.at(-1);
      if (run.saturated && last !== undefined) out[`${run.system}@${sc.id}`] = last.offered;
    }
  }
  return out;
}

for (const name of parts) {
  log(`── part ${name} (${settings.mode}) ──`);
  const entry = await runPart(name);
  (results.parts as Record<string, unknown>)[name] = entry;
  results.updatedAt = new Date().toISOString();
  if (!quick) writeOutputs(results);
  log(`part ${name} took ${entry.meta.durationSeconds} s`);
}
const totalSeconds = round((performance.now() - runStarted) / 1000, 1);
if (wholeRun) {
  results.lastFullRunSeconds = totalSeconds;
  writeOutputs(results);
}

if (quick) {
  const file = out ?? await Deno.makeTempFile({ prefix: "architus-bench-quick-", suffix: ".json" });
  Deno.writeTextFileSync(file, JSON.stringify(results, null, 1) + "\n");
  console.log(`\nquick run: ${totalSeconds} s; results in ${file}\n`);
} else {
  if (out !== undefined) Deno.writeTextFileSync(out, JSON.stringify(results, null, 1) + "\n");
  console.log(`\n${parts.join(", ")}: ${totalSeconds} s; wrote ${REPORT.pathname}\n`);
}
for (const name of parts) {
  const z = results.parts[name]?.meta.noise;
  if (z !== undefined && z.otherCoresMedian > 0.3) {
    console.log(
      `note: during ${name} other processes took ${z.otherCoresMedian} cores (median): ` +
        "figures are depressed",
    );
  }
}
for (const t of computeTargets(results)) {
  const verdict = t.met === undefined ? "–" : t.met ? "met" : "MISSED";
  console.log(`${verdict.padEnd(6)} ${t.title}\n       ${t.measured} → ${t.ratio} (${t.required})`);
}
for (const line of beforeLines(results)) console.log(line);
