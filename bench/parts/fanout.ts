/**
 * Part "fanout": log events to many spectators at stepped offered loads
 * (deliveries per second in total = events per second × spectators per
 * guild), until each system saturates, then once more at half of its
 * saturation throughput. How one step is run and measured: `_step.ts`.
 *
 * @module
 */
import { log, type PartContext } from "../lib/common.ts";
import type { FanoutScenario } from "../lib/settings.ts";
import { round } from "../lib/proc.ts";
import { SYSTEM_LABELS, type SystemName } from "../lib/systems.ts";
import { fmt, runStep, serverInfo, setupScenario, type StepRow } from "./_step.ts";

export interface SystemRun {
  system: SystemName;
  label: string;
  steps: StepRow[];
  /** Highest median throughput over the steps (deliveries/s). */
  saturationThroughput: number;
  /** Whether some step saturated it (false: it kept up with the highest load offered). */
  saturated: boolean;
  half?: StepRow;
  /** What the server said about itself at start (the gateway: its log settings). */
  server?: Record<string, unknown>;
  error?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** When this scenario ran. */
  startedAt?: string;
  guilds: number;
  perGuild: number;
  systems: SystemRun[];
}

export interface FanoutResult {
  scenarios: ScenarioResult[];
}

export async function runFanout(part: PartContext): Promise<FanoutResult> {
  const scenarios: ScenarioResult[] = [];
  for (const scenario of part.settings.fanout.scenarios) {
    const result: ScenarioResult = {
      id: scenario.id,
      title: scenario.title,
      startedAt: new Date().toISOString(),
      guilds: scenario.guilds,
      perGuild: scenario.perGuild,
      systems: [],
    };
    for (const system of scenario.systems) {
      log(`fanout ${scenario.id}: ${system}`);
      try {
        result.systems.push(await runSystem(part, scenario, system, part.settings.fanout));
      } catch (error) {
        log(`fanout ${scenario.id} ${system} failed: ${error}`);
        result.systems.push({
          system,
          label: SYSTEM_LABELS[system],
          steps: [],
          saturationThroughput: NaN,
          saturated: false,
          error: error instanceof Error ? error.message.slice(0, 500) : String(error),
        });
      }
    }
    scenarios.push(result);
  }
  return { scenarios };
}

/** The loads a system is offered: steps until it saturates, and perhaps half of its best. */
export interface Ladder {
  /** Offered deliveries per second. */
  readonly steps: readonly number[];
  /** Further steps, only while the system has not saturated. */
  readonly extraSteps: readonly number[];
  readonly halfLoad: boolean;
}

/** Climbs `ladder` with one system on one scenario. */
export async function runSystem(
  part: PartContext,
  scenario: FanoutScenario,
  name: SystemName,
  f: Ladder,
): Promise<SystemRun> {
  let ctx = await setupScenario(part, scenario, name);
  try {
    const run: SystemRun = {
      system: name,
      label: SYSTEM_LABELS[name],
      steps: [],
      saturationThroughput: 0,
      saturated: false,
      server: serverInfo(ctx.system),
    };
    for (const offered of [...f.steps, ...f.extraSteps]) {
      const isExtra = !f.steps.includes(offered);
      if (isExtra && run.saturated) break;
      const row = await runStep(ctx, offered, false);
      run.steps.push(row);
      run.saturationThroughput = Math.max(run.saturationThroughput, row.median.delivered);
      log(`  ${fmt(offered)}/s offered → ${describe(row)}`);
      if (row.saturated) {
        run.saturated = true;
        break;
      }
    }
    if (f.halfLoad && run.saturationThroughput > 0) {
      const offered = Math.round(run.saturationThroughput / 2);
      if (run.saturated) {
        // A saturated server may hold a backlog for a long time (Socket.IO
        // buffers without bound): measure half load on a fresh one, after one
        // discarded repeat when there are several (a fresh server's first
        // seconds are not its steady state).
        await ctx.close();
        ctx = await setupScenario(part, scenario, name);
        if (part.settings.repeats > 1) {
          const once = { ...ctx, part: { ...part, settings: { ...part.settings, repeats: 1 } } };
          await runStep(once, offered, true);
        }
      }
      run.half = await runStep(ctx, offered, true);
      log(`  half load ${fmt(offered)}/s → ${describe(run.half)}`);
    }
    return run;
  } finally {
    await ctx.close();
  }
}

/** One line of progress for a step. */
export function describe(row: StepRow): string {
  const m = row.median;
  return `${fmt(m.delivered)}/s delivered, p99 ${m.p99} ms (against the schedule ` +
    `${m.schedP99} ms), lost ${m.lostPct}%, server ${m.serverCores} cores = ` +
    `${m.serverUsPerDelivery} µs/delivery` +
    (m.serverUsPerMessage === undefined ? "" : `, ${round(m.serverUsPerMessage, 1)} µs/message`) +
    `${row.saturated ? " (saturated)" : ""}${row.clientBound ? " (client-bound)" : ""}`;
}
