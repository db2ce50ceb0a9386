/**
 * Part "storm": time to open and elevate 5,000 connections at once (at most
 * 500 handshakes in flight). Gateway: upgrade with the `dev-token` cookie
 * (elevated at the upgrade), then `session`, whose answer must say
 * `elevated: true`. Baseline: upgrade, then one frame answered by a
 * pre-serialised one. Socket.IO: connect, then one emit answered by an ack.
 * The connections are closed between repeats.
 *
 * @module
 */
import {
  latencySummary,
  log,
  medianOf,
  type PartContext,
  sleep,
  spreadPct,
} from "../lib/common.ts";
import { round, Sampler } from "../lib/proc.ts";
import {
  DEMO_GUILDS,
  staffCookie,
  startClients,
  startSystem,
  SYSTEM_LABELS,
  type SystemName,
} from "../lib/systems.ts";
import type { HistogramJson } from "../shared/histogram.mjs";

export interface StormRow {
  totalMs: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  notElevated: number;
  serverCores: number;
  clientCores: number;
  serverPeakRssMb: number;
  otherCores: number;
}

export interface StormSystem {
  system: SystemName;
  label: string;
  count: number;
  median?: StormRow;
  spreadPct?: number;
  repeats: StormRow[];
  error?: string;
}

export interface StormResult {
  systems: StormSystem[];
}

export async function runStorm(part: PartContext): Promise<StormResult> {
  const count = part.settings.storm.count;
  const systems: StormSystem[] = [];
  for (const name of part.settings.storm.systems) {
    log(`storm: ${name}`);
    const system = await startSystem(name).catch((e) => e as Error);
    if (system instanceof Error) {
      systems.push({
        system: name,
        label: SYSTEM_LABELS[name],
        count,
        repeats: [],
        error: system.message,
      });
      continue;
    }
    const clients = await startClients(system, "storm-clients");
    try {
      await sleep(500);
      const repeats: StormRow[] = [];
      for (let r = 0; r < part.settings.repeats; r++) {
        const sampler = new Sampler({ ...system.pids(), clients: clients.pid, runner: Deno.pid });
        sampler.start();
        const out = await clients.call<{
          ok: number;
          failed: number;
          notElevated: number;
          totalMs: number;
          perSecond: number;
          latency: HistogramJson;
          errors: string[];
        }>("storm", {
          url: system.url,
          count,
          guilds: DEMO_GUILDS,
          mode: system.protocol,
          cookie: system.protocol === "gateway" ? await staffCookie() : undefined,
          concurrency: 500,
        }, 180_000);
        const usage = sampler.stop();
        const p = usage.processes;
        repeats.push({
          totalMs: out.totalMs,
          perSecond: out.perSecond,
          ...latencySummary(out.latency),
          failed: out.failed,
          notElevated: out.notElevated,
          serverCores: p.server?.cores ?? NaN,
          clientCores: p.clients?.cores ?? NaN,
          serverPeakRssMb: round((p.server?.peakRss ?? NaN) / 1048576, 1),
          otherCores: usage.otherCores,
        });
        if (out.failed > 0) log(`  ${out.failed} failed: ${out.errors.join("; ")}`);
        await waitEmpty(system.server);
      }
      const median = medianOf(repeats);
      systems.push({
        system: name,
        label: SYSTEM_LABELS[name],
        count,
        median,
        spreadPct: spreadPct(repeats.map((r) => r.totalMs)),
        repeats,
      });
      log(`  ${count} in ${median.totalMs} ms (${median.perSecond}/s), p99 ${median.p99} ms`);
    } catch (error) {
      log(`storm ${name} failed: ${error}`);
      systems.push({
        system: name,
        label: SYSTEM_LABELS[name],
        count,
        repeats: [],
        error: error instanceof Error ? error.message.slice(0, 500) : String(error),
      });
    } finally {
      await clients.stop();
      await system.stop();
    }
  }
  return { systems };
}

/** Waits until the server has let every connection go (at most 15 s). */
async function waitEmpty(server: { call: <T>(cmd: string) => Promise<T> }): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const stats = await server.call<{ sessions?: number; sockets?: number }>("stats");
    if ((stats.sessions ?? stats.sockets ?? 0) === 0) return;
    await sleep(200);
  }
}
