/**
 * Part "rpc": request/response. Closed-loop clients (1 and 50 connections,
 * one request in flight each) send pool requests for `measure` ms after a
 * warm-up, to the embedded gateway (in-memory bus, demo backend in the
 * process) and to a gateway on RabbitMQ with the demo backend in its own
 * process (`backend_main.ts`, shard RPC over the broker):
 *
 * - `pool_request member` by ids (25 random members of the Big Guild);
 * - `pool_all_request member` of the Big Guild (10,000 members, 10 chunks).
 *
 * The rate limit is raised for the clients. Latency: send → terminal
 * `pool_response`.
 *
 * @module
 */
import { spawnDeno } from "../lib/child.ts";
import { latencySummary, log, medianOf, type PartContext, spreadPct } from "../lib/common.ts";
import { Sampler, type Usage } from "../lib/proc.ts";
import {
  BIG_GUILD,
  staffCookie,
  startSystem,
  SYSTEM_LABELS,
  type SystemName,
} from "../lib/systems.ts";
import type { HistogramJson } from "../shared/histogram.mjs";

export interface RpcRow {
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  mbPerSecond: number;
  serverCores: number;
  backendCores?: number;
  brokerCores?: number;
  clientCores: number;
  otherCores: number;
}

export interface RpcCase {
  system: SystemName;
  label: string;
  kind: "ids" | "all";
  concurrency: number;
  median?: RpcRow;
  spreadPct?: number;
  repeats: RpcRow[];
  error?: string;
}

export interface RpcResult {
  idsPerRequest: number;
  cases: RpcCase[];
}

export const RATE_LIMIT = { RATE_LIMIT_BURST: "1000000", RATE_LIMIT_PER_SECOND: "1000000" };

export async function runRpc(part: PartContext): Promise<RpcResult> {
  const s = part.settings;
  const cases: RpcCase[] = [];
  for (const name of s.rpc.modes) {
    log(`rpc: ${name}`);
    let system;
    let client;
    try {
      system = await startSystem(name, { env: RATE_LIMIT, backend: true });
      client = await spawnDeno("rpc-clients", "bench/clients/rpc.ts");
      const target = { url: system.url, cookie: await staffCookie(), guildId: BIG_GUILD };
      const prepared = await client.call<{ members: number }>("prepare", target, 60_000);
      if (prepared.members < 10_000) {
        throw new Error(`the big guild has ${prepared.members} members`);
      }
      for (const { kind, concurrency } of s.rpc.cases) {
        const repeats: RpcRow[] = [];
        for (let r = 0; r < s.repeats; r++) {
          const sampler = new Sampler({
            ...system.pids(),
            clients: client.pid,
            runner: Deno.pid,
          });
          let usage: Usage | undefined;
          const start = setTimeout(() => sampler.start(), s.warmMs);
          const stop = setTimeout(() => usage = sampler.stop(), s.warmMs + s.measureMs);
          const out = await client.call<{
            perSecond: number;
            errors: number;
            mbPerSecond: number;
            latency: HistogramJson;
          }>("run", {
            ...target,
            kind,
            concurrency,
            idsPerRequest: s.rpc.idsPerRequest,
            warmMs: s.warmMs,
            durationMs: s.measureMs,
          }, s.warmMs + s.measureMs + 60_000);
          clearTimeout(start);
          clearTimeout(stop);
          usage ??= sampler.stop();
          const p = usage.processes;
          repeats.push({
            perSecond: out.perSecond,
            ...latencySummary(out.latency),
            errors: out.errors,
            mbPerSecond: out.mbPerSecond,
            serverCores: p.server?.cores ?? NaN,
            ...(p.backend ? { backendCores: p.backend.cores } : {}),
            ...(p.broker ? { brokerCores: p.broker.cores } : {}),
            clientCores: p.clients?.cores ?? NaN,
            otherCores: usage.otherCores,
          });
        }
        const median = medianOf(repeats);
        cases.push({
          system: name,
          label: SYSTEM_LABELS[name],
          kind,
          concurrency,
          median,
          spreadPct: spreadPct(repeats.map((r) => r.perSecond)),
          repeats,
        });
        log(
          `  ${kind} × ${concurrency}: ${Math.round(median.perSecond)} req/s, ` +
            `p50 ${median.p50} ms, p99 ${median.p99} ms, errors ${median.errors}`,
        );
      }
    } catch (error) {
      log(`rpc ${name} failed: ${error}`);
      cases.push({
        system: name,
        label: SYSTEM_LABELS[name],
        kind: "ids",
        concurrency: 0,
        repeats: [],
        error: error instanceof Error ? error.message.slice(0, 500) : String(error),
      });
    } finally {
      await client?.stop();
      await system?.stop();
    }
  }
  return { idsPerRequest: s.rpc.idsPerRequest, cases };
}
