/**
 * Part "profile": where the time and memory go, to explain the tables.
 *
 * - CPU profiles (V8's sampling profiler, the one behind `deno run
 *   --cpu-prof`, started and stopped around one measured step from inside
 *   the server) of the embedded gateway and of the bare baseline under
 *   log fan-out at a load above their saturation, and of the gateway's
 *   one-event-per-frame loop;
 * - heap snapshots of the gateway and of the baseline before and after
 *   opening idle (for the gateway: elevated, spectating) connections, and
 *   what grew per connection.
 *
 * Profiles are written to a temporary folder and summarised; the raw files
 * are removed unless `BENCH_KEEP_PROFILES=1`.
 *
 * @module
 */
import { latencySummary, log, type PartContext, sleep } from "../lib/common.ts";
import { spawnDeno } from "../lib/child.ts";
import { Sampler } from "../lib/proc.ts";
import { RATE_LIMIT } from "./rpc.ts";
import type { HistogramJson } from "../shared/histogram.mjs";
import type { FanoutScenario } from "../lib/settings.ts";
import { runStep, type Scenario, setupScenario } from "./_step.ts";
import { runUnbatchedOnce } from "./unbatched.ts";
import {
  type CpuSummary,
  type HeapGroup,
  heapGrowth,
  summariseCpuProfile,
  summariseHeapSnapshot,
} from "../lib/profile_analysis.ts";
import {
  BIG_GUILD,
  DEMO_GUILDS,
  staffCookie,
  startClients,
  startSystem,
  type SystemName,
} from "../lib/systems.ts";

export interface CpuCase {
  id: string;
  title: string;
  system: SystemName;
  offered?: number;
  delivered?: number;
  framesPerSecond?: number;
  eventsPerFrame?: number;
  p99?: number;
  serverCores?: number;
  summary: CpuSummary;
}

export interface HeapCase {
  system: SystemName;
  connections: number;
  /** JS heap (snapshot self sizes) growth per connection, bytes. */
  heapPerConnection: number;
  groups: Array<HeapGroup & { perConnection: number }>;
}

export interface ProfileResult {
  cpu: CpuCase[];
  heap: HeapCase[];
}

export interface ProfileOptions {
  /** Offered load at which a system saturated, by `<system>@<scenario id>`. */
  readonly saturationLoad?: Record<string, number>;
}

const keep = Deno.env.get("BENCH_KEEP_PROFILES") === "1";
const ONE_GUILD: FanoutScenario = {
  id: "1x1000",
  title: "1,000 spectators of one guild",
  guilds: 1,
  perGuild: 1000,
  systems: [],
};
const THOUSAND_GUILDS: FanoutScenario = {
  id: "1000x1",
  title: "1,000 guilds × 1 spectator",
  guilds: 1000,
  perGuild: 1,
  systems: [],
};
const HUNDRED_GUILDS: FanoutScenario = {
  id: "100x10",
  title: "100 guilds × 10 spectators",
  guilds: 100,
  perGuild: 10,
  systems: [],
};

export async function runProfile(
  part: PartContext,
  options: ProfileOptions = {},
): Promise<ProfileResult> {
  const dir = await Deno.makeTempDir({ prefix: "architus-bench-profile-" });
  const cpu: CpuCase[] = [];
  const heap: HeapCase[] = [];
  try {
    const load = (system: SystemName, scenario: string, fallback: number) =>
      options.saturationLoad?.[`${system}@${scenario}`] ?? fallback;
    const cases: Array<[SystemName, FanoutScenario, number]> = [
      ["gateway", ONE_GUILD, load("gateway", "1x1000", 1_000_000)],
      ["baseline", ONE_GUILD, load("baseline", "1x1000", 250_000)],
      ["gateway-amqp", HUNDRED_GUILDS, load("gateway-amqp", "100x10", 50_000)],
      // The RabbitMQ path at Architus' shape: one message per event, many guilds (issue 20).
      ["gateway-amqp", THOUSAND_GUILDS, 10_000],
    ];
    for (const [system, scenario, offered] of cases) {
      log(`profile: ${system} fan-out ${scenario.id} at ${offered}/s`);
      const ctx = await setupScenario(part, scenario, system);
      try {
        cpu.push(await profileStep(ctx, dir, offered, `fanout-${system}-${scenario.id}`));
      } finally {
        await ctx.close();
      }
    }
    log("profile: gateway, one event per frame");
    cpu.push(await profileUnbatched(part, dir));
    for (const [kind, concurrency] of [["all", 1], ["ids", 50]] as const) {
      log(`profile: gateway, requests (${kind} × ${concurrency})`);
      cpu.push(await profileRpc(part, dir, kind, concurrency));
    }
    for (const system of ["gateway", "baseline"] as const) {
      log(`profile: heap of ${system} with idle connections`);
      heap.push(await profileHeap(system, dir, part.settings.mode === "quick" ? 1000 : 2000));
    }
  } finally {
    if (!keep) await Deno.remove(dir, { recursive: true }).catch(() => {});
    else log(`profiles kept in ${dir}`);
  }
  return { cpu, heap };
}

async function profileStep(
  ctx: Scenario,
  dir: string,
  offered: number,
  id: string,
): Promise<CpuCase> {
  const path = `${dir}/${id}.cpuprofile`;
  // One repeat, profiled over its measurement window only.
  const part = { ...ctx.part, settings: { ...ctx.part.settings, repeats: 1 } };
  const stopped = Promise.withResolvers<void>();
  const server = ctx.system.server;
  const c = {
    ...ctx,
    part,
    window: {
      start: () => server.call("profileStart", { intervalUs: 500 }),
      stop: () => server.call("profileStop", { path }).then(() => stopped.resolve()),
    },
  };
  const row = await runStep(c, offered, false);
  await stopped.promise;
  const profile = JSON.parse(await Deno.readTextFile(path));
  return {
    id,
    title: `${ctx.system.name}: ${ctx.scenario.title}, ${offered} deliveries/s offered`,
    system: ctx.system.name,
    offered,
    delivered: row.median.delivered,
    framesPerSecond: row.median.framesPerSecond,
    eventsPerFrame: row.median.eventsPerFrame,
    p99: row.median.p99,
    serverCores: row.median.serverCores,
    summary: summariseCpuProfile(profile),
  };
}

async function profileUnbatched(part: PartContext, dir: string): Promise<CpuCase> {
  const path = `${dir}/unbatched-gateway.cpuprofile`;
  const stopped = Promise.withResolvers<void>();
  const row = await runUnbatchedOnce(part, "gateway", (server) => ({
    start: () => server.call("profileStart", { intervalUs: 500 }),
    stop: () => server.call("profileStop", { path }).then(() => stopped.resolve()),
  }));
  await stopped.promise;
  const profile = JSON.parse(await Deno.readTextFile(path));
  return {
    id: "unbatched-gateway",
    title: "gateway: one spectator, one event per frame (LOG_BATCH_WINDOW_MS=0)",
    system: "gateway",
    framesPerSecond: row.framesPerSecond,
    eventsPerFrame: row.eventsPerFrame,
    p99: row.p99,
    serverCores: row.serverCores,
    summary: summariseCpuProfile(profile),
  };
}

async function profileRpc(
  part: PartContext,
  dir: string,
  kind: "ids" | "all",
  concurrency: number,
): Promise<CpuCase> {
  const path = `${dir}/rpc-${kind}-${concurrency}.cpuprofile`;
  const system = await startSystem("gateway", { env: RATE_LIMIT });
  const client = await spawnDeno("rpc-clients", "bench/clients/rpc.ts");
  try {
    const target = { url: system.url, cookie: await staffCookie(), guildId: BIG_GUILD };
    await client.call("prepare", target, 60_000);
    const s = part.settings;
    const run = client.call<{ perSecond: number; latency: HistogramJson }>("run", {
      ...target,
      kind,
      concurrency,
      idsPerRequest: s.rpc.idsPerRequest,
      warmMs: s.warmMs,
      durationMs: s.measureMs,
    }, s.warmMs + s.measureMs + 60_000);
    await sleep(s.warmMs);
    const sampler = new Sampler({ server: system.server.pid });
    sampler.start();
    await system.server.call("profileStart", { intervalUs: 500 });
    await sleep(s.measureMs);
    await system.server.call("profileStop", { path });
    const usage = sampler.stop();
    const out = await run;
    const lat = latencySummary(out.latency);
    return {
      id: `rpc-${kind}-${concurrency}`,
      title: `gateway, embedded: ${
        kind === "all"
          ? "pool_all_request member (10,000)"
          : `pool_request member by ${s.rpc.idsPerRequest} ids`
      }, ${concurrency} client${concurrency === 1 ? "" : "s"} (${out.perSecond} req/s)`,
      system: "gateway",
      p99: lat.p99,
      serverCores: usage.processes.server?.cores,
      summary: summariseCpuProfile(JSON.parse(await Deno.readTextFile(path))),
    };
  } finally {
    await client.stop();
    await system.stop();
  }
}

async function profileHeap(
  system: "gateway" | "baseline",
  dir: string,
  connections: number,
): Promise<HeapCase> {
  const running = await startSystem(system);
  const clients = await startClients(running);
  try {
    await sleep(500);
    const before = `${dir}/${system}-before.heapsnapshot`;
    const after = `${dir}/${system}-after.heapsnapshot`;
    await running.server.call("heapSnapshot", { path: before });
    await clients.call("open", {
      url: running.url,
      count: connections,
      guilds: DEMO_GUILDS,
      mode: running.protocol,
      cookie: running.protocol === "gateway" ? await staffCookie() : undefined,
      concurrency: 200,
    }, 120_000);
    await sleep(1000);
    await running.server.call("heapSnapshot", { path: after });
    const growth = heapGrowth(
      await summariseHeapSnapshot(before),
      await summariseHeapSnapshot(after),
      connections,
    );
    return {
      system,
      connections,
      heapPerConnection: growth.bytesPerConnection,
      groups: growth.groups,
    };
  } finally {
    await clients.stop();
    await running.stop();
  }
}
