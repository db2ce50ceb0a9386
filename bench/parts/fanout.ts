/**
 * Part "fanout": log events to many spectators at stepped offered loads
 * (deliveries per second in total = events per second × spectators per
 * guild), until each system saturates, then once more at half of its
 * saturation throughput.
 *
 * Each repeat of a step: the receivers are armed with a step number and a
 * time window; the publisher (in the server process, or the RabbitMQ
 * publisher process) runs `warm + measure` milliseconds; CPU and peak RSS
 * are sampled over the measurement window; after the publisher stops, late
 * events are awaited up to `drainMs`. Throughput counts events received in
 * the window; latency is publish → receipt of every event published in the
 * window on the sampled connections; lost = published × spectators −
 * received by the end of the drain.
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
import {
  type Running,
  staffCookie,
  startClients,
  type StartOptions,
  startSystem,
  SYSTEM_LABELS,
  type SystemName,
} from "../lib/systems.ts";
import { nowMs, scenarioGuilds } from "../shared/log_events.mjs";
import type { HistogramJson } from "../shared/histogram.mjs";
import type { LoadResult } from "../shared/pacer.mjs";

export interface RepeatRow {
  offered: number;
  /** Deliveries (event × spectator) per second received in the window. */
  delivered: number;
  framesPerSecond: number;
  eventsPerFrame: number;
  /** Deliveries per second the publisher actually offered. */
  published: number;
  lost: number;
  lostPct: number;
  p50: number;
  p99: number;
  max: number;
  latencySamples: number;
  /** Server side only: publish → frame handed to the socket (gateway and baseline). */
  serverP50?: number;
  serverP99?: number;
  holes: number;
  duplicates: number;
  gaps: number;
  serverCores: number;
  serverPeakRssMb: number;
  clientCores: number;
  publisherCores?: number;
  brokerCores?: number;
  otherCores: number;
  stealPct: number;
  /** Frames the server dropped (baseline) or events the relay dropped (gateway). */
  serverDropped: number;
  maxTickLagMs: number;
}

export interface StepRow {
  offered: number;
  half: boolean;
  saturated: boolean;
  clientBound: boolean;
  median: RepeatRow;
  deliveredSpreadPct: number;
  repeats: RepeatRow[];
}

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
  guilds: number;
  perGuild: number;
  systems: SystemRun[];
}

export interface FanoutResult {
  scenarios: ScenarioResult[];
}

interface Ctx {
  part: PartContext;
  scenario: FanoutScenario;
  system: Running;
  clients: Child;
  guilds: string[];
  connections: number;
  openArgs: { sampleEvery: number } & Record<string, unknown>;
  drained: boolean;
  /** Called at the start and end of each measurement window (the profile part). */
  window?: { start(): unknown; stop(): unknown };
}

interface Snapshot {
  step: number;
  frames: number;
  events: number;
  windowFrames: number;
  windowEvents: number;
  stale: number;
  holes: number;
  duplicates: number;
  gaps: number;
  latency: HistogramJson;
  open: number;
}

export async function runFanout(part: PartContext): Promise<FanoutResult> {
  const scenarios: ScenarioResult[] = [];
  for (const scenario of part.settings.fanout.scenarios) {
    const result: ScenarioResult = {
      id: scenario.id,
      title: scenario.title,
      guilds: scenario.guilds,
      perGuild: scenario.perGuild,
      systems: [],
    };
    for (const system of scenario.systems) {
      log(`fanout ${scenario.id}: ${system}`);
      try {
        result.systems.push(await runSystem(part, scenario, system));
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

/** A system with its spectators open, ready for steps. */
export interface Scenario extends Ctx {
  close(): Promise<void>;
}

/** Starts a system and its receivers and opens the scenario's spectators. */
export async function setupScenario(
  part: PartContext,
  scenario: FanoutScenario,
  name: SystemName,
  options: StartOptions = {},
): Promise<Scenario> {
  const system = await startSystem(name, options);
  let clients: Child | undefined;
  const close = async () => {
    await clients?.stop();
    await system.stop();
  };
  try {
    clients = await startClients(system.protocol);
    const guilds = scenarioGuilds(scenario.guilds) as string[];
    const connections = scenario.guilds * scenario.perGuild;
    const target = part.settings.fanout.sampledConnections;
    const openArgs = {
      url: system.url,
      count: connections,
      guilds,
      mode: system.protocol,
      cookie: system.protocol === "gateway" ? await staffCookie() : undefined,
      sampleEvery: connections > target ? Math.floor(connections / target) + 1 : 1,
      concurrency: 200,
    };
    const ctx: Scenario = {
      part,
      scenario,
      system,
      clients,
      guilds,
      connections,
      openArgs,
      drained: true,
      close,
    };
    await openClients(ctx);
    await sleep(1000);
    return ctx;
  } catch (error) {
    await close();
    throw error;
  }
}

async function runSystem(
  part: PartContext,
  scenario: FanoutScenario,
  name: SystemName,
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
    const f = part.settings.fanout;
    for (const offered of [...f.steps, ...f.extraSteps]) {
      const isExtra = !f.steps.includes(offered);
      if (isExtra && run.saturated) break;
      const row = await runStep(ctx, offered, false);
      run.steps.push(row);
      run.saturationThroughput = Math.max(run.saturationThroughput, row.median.delivered);
      log(
        `  ${fmt(offered)}/s offered → ${fmt(row.median.delivered)}/s delivered, ` +
          `p99 ${row.median.p99} ms, lost ${row.median.lostPct}%, server ${row.median.serverCores} cores` +
          `${row.saturated ? " (saturated)" : ""}${row.clientBound ? " (client-bound)" : ""}`,
      );
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
        // discarded repeat (a fresh server's first seconds are not its steady state).
        await ctx.close();
        ctx = await setupScenario(part, scenario, name);
        const once = { ...ctx, part: { ...part, settings: { ...part.settings, repeats: 1 } } };
        await runStep(once, offered, true);
      }
      run.half = await runStep(ctx, offered, true);
      log(`  half load ${fmt(offered)}/s → p99 ${run.half.median.p99} ms`);
    }
    return run;
  } finally {
    await ctx.close();
  }
}

/** The server's self-description without its pid and address. */
export function serverInfo(system: Running): Record<string, unknown> {
  const { pid: _pid, url: _url, ...rest } = system.server.info;
  return rest;
}

async function openClients(ctx: Ctx): Promise<void> {
  const opened = await ctx.clients.call<{ ok: number; failed: number; errors: string[] }>(
    "open",
    ctx.openArgs,
    180_000,
  );
  if (opened.failed > 0) {
    throw new Error(`${opened.failed} of ${ctx.connections} spectators failed: ${opened.errors}`);
  }
}

/** Reopens the spectators when some were closed (a slow consumer the gateway let go). */
async function ensureOpen(ctx: Ctx): Promise<void> {
  const snap = await ctx.clients.call<Snapshot>("snapshot");
  if (snap.open >= ctx.connections) return;
  log(`  ${ctx.connections - snap.open} spectators were closed; reopening all`);
  await ctx.clients.call("closeAll", {}, 60_000);
  await quiesce(ctx);
  await openClients(ctx);
  await sleep(500);
}

/** Waits until nothing arrives any more (a saturated step's backlog), at most `quiesceMs`. */
async function quiesce(ctx: Ctx): Promise<void> {
  const deadline = Date.now() + ctx.part.settings.quiesceMs;
  let last = -1;
  while (Date.now() < deadline) {
    const snap = await ctx.clients.call<Snapshot>("snapshot");
    const seen = snap.frames + snap.stale;
    if (seen === last) return;
    last = seen;
    await sleep(500);
  }
}

export async function runStep(ctx: Ctx, offered: number, half: boolean): Promise<StepRow> {
  const repeats: RepeatRow[] = [];
  for (let r = 0; r < ctx.part.settings.repeats; r++) {
    await ensureOpen(ctx);
    if (!ctx.drained) await quiesce(ctx);
    repeats.push(await runRepeat(ctx, offered));
  }
  const m = medianOf(repeats);
  const eventsPerGuildWindow = (offered / ctx.scenario.perGuild / ctx.scenario.guilds) *
    (ctx.part.settings.measureMs / 1000) * ctx.scenario.guilds;
  const saturated = m.lostPct > 1 || m.p99 > 1000 ||
    (m.delivered < 0.9 * offered && eventsPerGuildWindow >= 50);
  return {
    offered,
    half,
    saturated,
    clientBound: m.clientCores >= 0.9,
    median: roundRow(m),
    deliveredSpreadPct: spreadPct(repeats.map((r) => r.delivered)),
    repeats,
  };
}

async function runRepeat(ctx: Ctx, offered: number): Promise<RepeatRow> {
  const s = ctx.part.settings;
  const step = ctx.part.nextStep();
  const perGuild = ctx.scenario.perGuild;
  const t0 = nowMs() + 400;
  await ctx.clients.call("arm", { step, t0, warmMs: s.warmMs, measureMs: s.measureMs });
  const probing = ctx.system.protocol !== "socketio";
  if (probing) {
    await ctx.system.server.call("probeArm", {
      t0,
      warmMs: s.warmMs,
      measureMs: s.measureMs,
      every: ctx.openArgs.sampleEvery,
    });
  }
  const isGateway = ctx.system.protocol === "gateway";
  const before = isGateway ? await relayCounters(ctx.system.server) : undefined;
  const sampler = new Sampler({
    ...ctx.system.pids(),
    clients: ctx.clients.pid,
    runner: Deno.pid,
  });
  let usage: Usage | undefined;
  const startTimer = setTimeout(() => {
    sampler.start();
    ctx.window?.start();
  }, t0 + s.warmMs - nowMs());
  const stopTimer = setTimeout(() => {
    usage = sampler.stop();
    ctx.window?.stop();
  }, t0 + s.warmMs + s.measureMs - nowMs());
  const publisher = ctx.system.publisher ?? ctx.system.server;
  let load: LoadResult & { dropped?: number };
  try {
    load = await publisher.call("publish", {
      step,
      startAt: t0,
      durationMs: s.warmMs + s.measureMs,
      eventsPerSecond: offered / perGuild,
      guilds: ctx.guilds,
      tickMs: 5,
    }, s.warmMs + s.measureMs + 120_000);
  } catch (error) {
    clearTimeout(startTimer);
    clearTimeout(stopTimer);
    throw error;
  }
  while (usage === undefined) await sleep(20);
  const expected = load.total * perGuild;
  let snap = await ctx.clients.call<Snapshot>("snapshot");
  const drainEnd = Date.now() + s.drainMs;
  let progressAt = Date.now();
  let lastEvents = snap.events;
  while (snap.events < expected && Date.now() < drainEnd && Date.now() - progressAt < 1500) {
    await sleep(100);
    snap = await ctx.clients.call<Snapshot>("snapshot");
    if (snap.events !== lastEvents) {
      lastEvents = snap.events;
      progressAt = Date.now();
    }
  }
  ctx.drained = snap.events >= expected;
  const after = isGateway ? await relayCounters(ctx.system.server) : undefined;
  const serverSide = probing
    ? latencySummary(await ctx.system.server.call<HistogramJson>("probeSnapshot"))
    : undefined;
  const seconds = s.measureMs / 1000;
  const lat = latencySummary(snap.latency);
  const lost = Math.max(0, expected - snap.events);
  const p = usage.processes;
  const publishSeconds = (load.endedAt - load.startedAt) / 1000;
  return {
    offered,
    delivered: Math.round(snap.windowEvents / seconds),
    framesPerSecond: Math.round(snap.windowFrames / seconds),
    eventsPerFrame: snap.windowFrames > 0 ? round(snap.windowEvents / snap.windowFrames, 2) : 0,
    published: Math.round((load.total * perGuild) / Math.max(publishSeconds, 0.001)),
    lost,
    lostPct: expected > 0 ? round((lost / expected) * 100, 3) : 0,
    ...lat,
    latencySamples: snap.latency.n,
    ...(serverSide ? { serverP50: serverSide.p50, serverP99: serverSide.p99 } : {}),
    holes: snap.holes,
    duplicates: snap.duplicates,
    gaps: snap.gaps,
    serverCores: p.server?.cores ?? NaN,
    serverPeakRssMb: round((p.server?.peakRss ?? NaN) / 1048576, 1),
    clientCores: p.clients?.cores ?? NaN,
    ...(p.publisher ? { publisherCores: p.publisher.cores } : {}),
    ...(p.broker ? { brokerCores: p.broker.cores } : {}),
    otherCores: usage.otherCores,
    stealPct: usage.stealPct,
    serverDropped: after !== undefined && before !== undefined
      ? after.dropped - before.dropped
      : load.dropped ?? 0,
    maxTickLagMs: load.maxTickLagMs,
  };
}

async function relayCounters(server: Child): Promise<{ dropped: number }> {
  const stats = await server.call<{ logs: { dropped: number } }>("stats");
  return stats.logs;
}

function roundRow(row: RepeatRow): RepeatRow {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === "number" ? (Math.abs(v) >= 100 ? Math.round(v) : round(v, 3)) : v;
  }
  return out as unknown as RepeatRow;
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (n >= 1e6) return `${round(n / 1e6, 2)}M`;
  if (n >= 1e3) return `${round(n / 1e3, 1)}k`;
  return String(Math.round(n));
}
