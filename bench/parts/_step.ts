/**
 * One fan-out step, shared by the parts that push log events to spectators
 * (fanout, amqp, unbatched's setup, profile): a system started with its
 * receivers and spectators open (`setupScenario`), then steps of offered
 * load (`runStep`), each repeated and summarised by its median.
 *
 * Each repeat: the receivers (and the server's send probe) are armed with a
 * step number and a window; the publisher (in the server process, or the
 * RabbitMQ publisher process) runs `warm + measure` milliseconds; CPU and
 * peak RSS are sampled over the measurement window; after the publisher
 * stops, late events are awaited up to `drainMs`. Throughput counts events
 * received in the window; latency is taken from every event due in the
 * window on every connection, against its publish time and against the
 * schedule; lost = published × spectators − received by the end of the
 * drain.
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
import { brokerPid, round, Sampler, type Usage, waitForCalm } from "../lib/proc.ts";
import type { FanoutScenario } from "../lib/settings.ts";
import {
  type Running,
  staffCookie,
  startClients,
  type StartOptions,
  startSystem,
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
  /** Bus messages per second the RabbitMQ publisher sent (events, or guild batches). */
  messages?: number;
  lost: number;
  lostPct: number;
  /** Publish → receipt, every event due in the window on every connection. */
  p50: number;
  p99: number;
  max: number;
  /** Due (the schedule) → receipt: an overloaded publisher or broker shows here as delay. */
  schedP50: number;
  schedP99: number;
  schedMax: number;
  latencySamples: number;
  /** Server side only: publish → frame handed to the socket (gateway and baseline). */
  serverP50?: number;
  serverP99?: number;
  holes: number;
  duplicates: number;
  gaps: number;
  serverCores: number;
  /** Server CPU per delivery received, µs: comparable whoever saturates first. */
  serverUsPerDelivery: number;
  /** Per bus message (RabbitMQ systems), µs of CPU of the node, the broker and the publisher. */
  serverUsPerMessage?: number;
  brokerUsPerMessage?: number;
  publisherUsPerMessage?: number;
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

/** A system with its spectators open, ready for steps. */
export interface Scenario {
  part: PartContext;
  scenario: FanoutScenario;
  system: Running;
  clients: Child;
  guilds: string[];
  connections: number;
  openArgs: Record<string, unknown>;
  /** The server's send probe watches every n-th log spectator. */
  probeEvery: number;
  drained: boolean;
  /** Called at the start and end of each measurement window (the profile part). */
  window?: { start(): unknown; stop(): unknown };
  close(): Promise<void>;
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
  schedule: HistogramJson;
  open: number;
}

/** Connections whose frames the server-side probe times (it wraps their sends). */
const PROBED_CONNECTIONS = 50;

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
    clients = await startClients(system);
    const guilds = scenarioGuilds(scenario.guilds) as string[];
    const connections = scenario.guilds * scenario.perGuild;
    const openArgs = {
      url: system.url,
      count: connections,
      guilds,
      mode: system.protocol,
      cookie: system.protocol === "gateway" ? await staffCookie() : undefined,
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
      probeEvery: Math.max(1, Math.ceil(connections / PROBED_CONNECTIONS)),
      drained: true,
      close,
    };
    await openClients(ctx);
    await sleep(1000);
    // The broker may still be removing the previous node's queue and bindings.
    if (system.publisher !== undefined) await waitForCalm(brokerPid());
    return ctx;
  } catch (error) {
    await close();
    throw error;
  }
}

async function openClients(ctx: Scenario): Promise<void> {
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
async function ensureOpen(ctx: Scenario): Promise<void> {
  const snap = await ctx.clients.call<Snapshot>("snapshot");
  if (snap.open >= ctx.connections) return;
  log(`  ${ctx.connections - snap.open} spectators were closed; reopening all`);
  await ctx.clients.call("closeAll", {}, 60_000);
  await quiesce(ctx);
  await openClients(ctx);
  await sleep(500);
}

/** Waits until nothing arrives any more (a saturated step's backlog), at most `quiesceMs`. */
async function quiesce(ctx: Scenario): Promise<void> {
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

/**
 * Runs `offered` deliveries per second `repeats` times. Saturated: the
 * median lost more than 1 %, or its p99 against the schedule is over 1 s,
 * or it delivered under 90 % of the offered load (judged only when the
 * window holds ≥ 50 events).
 */
export async function runStep(ctx: Scenario, offered: number, half: boolean): Promise<StepRow> {
  const repeats: RepeatRow[] = [];
  for (let r = 0; r < ctx.part.settings.repeats; r++) {
    await ensureOpen(ctx);
    if (!ctx.drained) await quiesce(ctx);
    repeats.push(await runRepeat(ctx, offered));
  }
  const m = medianOf(repeats);
  const eventsInWindow = (offered / ctx.scenario.perGuild) * (ctx.part.settings.measureMs / 1000);
  const saturated = m.lostPct > 1 || m.schedP99 > 1000 ||
    (m.delivered < 0.9 * offered && eventsInWindow >= 50);
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

async function runRepeat(ctx: Scenario, offered: number): Promise<RepeatRow> {
  const s = ctx.part.settings;
  const step = ctx.part.nextStep();
  const perGuild = ctx.scenario.perGuild;
  const t0 = nowMs() + 400;
  const window = { t0, warmMs: s.warmMs, measureMs: s.measureMs };
  await ctx.clients.call("arm", { step, ...window });
  const probing = ctx.system.protocol !== "socketio";
  if (probing) await ctx.system.server.call("probeArm", { ...window, every: ctx.probeEvery });
  const isGateway = ctx.system.protocol === "gateway";
  const before = isGateway ? await relayCounters(ctx.system.server) : undefined;
  const sampler = new Sampler({ ...ctx.system.pids(), clients: ctx.clients.pid, runner: Deno.pid });
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
  let load: LoadResult & { dropped?: number; messages?: number };
  try {
    load = await publisher.call("publish", {
      step,
      startAt: t0,
      durationMs: s.warmMs + s.measureMs,
      eventsPerSecond: offered / perGuild,
      guilds: ctx.guilds,
      tickMs: 5,
      perEvent: ctx.system.publishMode === "per-event",
    }, s.warmMs + s.measureMs + 120_000);
  } catch (error) {
    clearTimeout(startTimer);
    clearTimeout(stopTimer);
    throw error;
  }
  while (usage === undefined) await sleep(20);
  const snap = await drain(ctx, load.total * perGuild);
  const after = isGateway ? await relayCounters(ctx.system.server) : undefined;
  const serverSide = probing
    ? latencySummary(await ctx.system.server.call<HistogramJson>("probeSnapshot"))
    : undefined;
  const seconds = s.measureMs / 1000;
  const expected = load.total * perGuild;
  const lost = Math.max(0, expected - snap.events);
  const p = usage.processes;
  const publishSeconds = Math.max((load.endedAt - load.startedAt) / 1000, 0.001);
  const delivered = snap.windowEvents / seconds;
  const serverCores = p.server?.cores ?? NaN;
  const sched = latencySummary(snap.schedule);
  const messages = load.messages === undefined ? undefined : load.messages / publishSeconds;
  const perMessage = (cores: number | undefined) =>
    messages === undefined || cores === undefined ? undefined : (cores * 1e6) / messages;
  return {
    offered,
    delivered: Math.round(delivered),
    framesPerSecond: Math.round(snap.windowFrames / seconds),
    eventsPerFrame: snap.windowFrames > 0 ? round(snap.windowEvents / snap.windowFrames, 2) : 0,
    published: Math.round((load.total * perGuild) / publishSeconds),
    ...(messages === undefined ? {} : { messages: Math.round(messages) }),
    lost,
    lostPct: expected > 0 ? round((lost / expected) * 100, 3) : 0,
    ...latencySummary(snap.latency),
    schedP50: sched.p50,
    schedP99: sched.p99,
    schedMax: sched.max,
    latencySamples: snap.latency.n,
    ...(serverSide ? { serverP50: serverSide.p50, serverP99: serverSide.p99 } : {}),
    holes: snap.holes,
    duplicates: snap.duplicates,
    gaps: snap.gaps,
    serverCores,
    serverUsPerDelivery: delivered > 0 ? round((serverCores * 1e6) / delivered, 2) : NaN,
    ...(messages === undefined ? {} : {
      serverUsPerMessage: perMessage(serverCores),
      brokerUsPerMessage: perMessage(p.broker?.cores),
      publisherUsPerMessage: perMessage(p.publisher?.cores),
    }),
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

/** Waits for late events: until all `expected` arrived, `drainMs` passed, or none came for 1.5 s. */
async function drain(ctx: Scenario, expected: number): Promise<Snapshot> {
  let snap = await ctx.clients.call<Snapshot>("snapshot");
  const drainEnd = Date.now() + ctx.part.settings.drainMs;
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
  return snap;
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

/** The server's self-description without its pid and address. */
export function serverInfo(system: Running): Record<string, unknown> {
  const { pid: _pid, url: _url, ...rest } = system.server.info;
  return rest;
}

/** 1.2M, 35.5k, 120. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (n >= 1e6) return `${round(n / 1e6, 2)}M`;
  if (n >= 1e3) return `${round(n / 1e3, 1)}k`;
  return String(Math.round(n));
}
