/**
 * Part "unbatched": one spectator receiving one event per frame, to compare
 * the per-frame cost of each system with the bare baseline.
 *
 * The publisher in the server process runs a closed loop for `warm +
 * measure` ms: it hands over one event, waits until that event's frame has
 * been written to the socket (the gateway batches by timer, so the next
 * event waits for the previous frame; the baseline and Socket.IO send at
 * once and yield one macrotask), and pauses while the socket has more than
 * 64 KiB unsent (below the gateway's 256 KiB soft limit, so it never
 * coalesces). The gateway runs with `LOG_BATCH_WINDOW_MS=0`. Frames per
 * second are counted by the receiver in the measurement window.
 *
 * @module
 */
import type { Child } from "../lib/child.ts";
import {
  latencySummary,
  log,
  medianOf,
  type PartContext,
  sleep,
  spreadPct,
} from "../lib/common.ts";
import { round, Sampler, type Usage } from "../lib/proc.ts";
import type { FanoutScenario } from "../lib/settings.ts";
import { SYSTEM_LABELS, type SystemName } from "../lib/systems.ts";
import { nowMs } from "../shared/log_events.mjs";
import type { HistogramJson } from "../shared/histogram.mjs";
import { type Scenario, serverInfo, setupScenario } from "./_step.ts";

export interface UnbatchedRow {
  framesPerSecond: number;
  eventsPerSecond: number;
  eventsPerFrame: number;
  p50: number;
  p99: number;
  max: number;
  serverCores: number;
  clientCores: number;
  otherCores: number;
  /** Times the publisher waited for the socket to drain. */
  waits: number;
}

export interface UnbatchedSystem {
  system: SystemName;
  label: string;
  median?: UnbatchedRow;
  spreadPct?: number;
  repeats: UnbatchedRow[];
  server?: Record<string, unknown>;
  error?: string;
}

export interface UnbatchedResult {
  systems: UnbatchedSystem[];
}

const ONE: FanoutScenario = {
  id: "1x1",
  title: "one spectator",
  guilds: 1,
  perGuild: 1,
  systems: [],
};
const LIMIT_BYTES = 64 * 1024;
const WINDOW_ZERO = { LOG_BATCH_WINDOW_MS: "0" };

function envFor(system: SystemName) {
  return system.startsWith("gateway") ? { env: WINDOW_ZERO } : {};
}

export async function runUnbatched(part: PartContext): Promise<UnbatchedResult> {
  const systems: UnbatchedSystem[] = [];
  for (const system of part.settings.unbatched.systems) {
    log(`unbatched: ${system}`);
    try {
      const ctx = await setupScenario(part, ONE, system, envFor(system));
      try {
        const repeats: UnbatchedRow[] = [];
        for (let r = 0; r < part.settings.repeats; r++) repeats.push(await closedLoop(ctx));
        const median = medianOf(repeats);
        systems.push({
          system,
          label: SYSTEM_LABELS[system],
          median,
          spreadPct: spreadPct(repeats.map((r) => r.framesPerSecond)),
          repeats,
          server: serverInfo(ctx.system),
        });
        log(
          `  ${
            Math.round(median.framesPerSecond)
          } frames/s, ${median.eventsPerFrame} events/frame, ` +
            `server ${median.serverCores} cores, client ${median.clientCores} cores`,
        );
      } finally {
        await ctx.close();
      }
    } catch (error) {
      log(`unbatched ${system} failed: ${error}`);
      systems.push({
        system,
        label: SYSTEM_LABELS[system],
        repeats: [],
        error: error instanceof Error ? error.message.slice(0, 500) : String(error),
      });
    }
  }
  return { systems };
}

/** A warm-up run, then one closed-loop run of `system` with `window` called around its measurement. */
export async function runUnbatchedOnce(
  part: PartContext,
  system: SystemName,
  window: (server: Child) => { start(): unknown; stop(): unknown },
): Promise<UnbatchedRow> {
  const ctx = await setupScenario(part, ONE, system, envFor(system));
  try {
    await closedLoop(ctx);
    ctx.window = window(ctx.system.server);
    return await closedLoop(ctx);
  } finally {
    await ctx.close();
  }
}

interface Snapshot {
  events: number;
  windowFrames: number;
  windowEvents: number;
  latency: HistogramJson;
}

async function closedLoop(ctx: Scenario): Promise<UnbatchedRow> {
  const s = ctx.part.settings;
  const step = ctx.part.nextStep();
  const t0 = nowMs() + 400;
  await ctx.clients.call("arm", { step, t0, warmMs: s.warmMs, measureMs: s.measureMs });
  const sampler = new Sampler({ ...ctx.system.pids(), clients: ctx.clients.pid, runner: Deno.pid });
  let usage: Usage | undefined;
  setTimeout(() => {
    sampler.start();
    ctx.window?.start();
  }, t0 + s.warmMs - nowMs());
  setTimeout(() => {
    usage = sampler.stop();
    ctx.window?.stop();
  }, t0 + s.warmMs + s.measureMs - nowMs());
  const result = await ctx.system.server.call<{ total: number; waits: number }>("unbatched", {
    step,
    startAt: t0,
    durationMs: s.warmMs + s.measureMs,
    limitBytes: LIMIT_BYTES,
  }, s.warmMs + s.measureMs + 60_000);
  while (usage === undefined) await sleep(20);
  let snap = await ctx.clients.call<Snapshot>("snapshot");
  const deadline = Date.now() + s.drainMs;
  while (snap.events < result.total && Date.now() < deadline) {
    await sleep(100);
    snap = await ctx.clients.call<Snapshot>("snapshot");
  }
  const seconds = s.measureMs / 1000;
  const p = usage.processes;
  return {
    framesPerSecond: Math.round(snap.windowFrames / seconds),
    eventsPerSecond: Math.round(snap.windowEvents / seconds),
    eventsPerFrame: snap.windowFrames > 0 ? round(snap.windowEvents / snap.windowFrames, 3) : 0,
    ...latencySummary(snap.latency),
    serverCores: p.server?.cores ?? NaN,
    clientCores: p.clients?.cores ?? NaN,
    otherCores: usage.otherCores,
    waits: result.waits,
  };
}
