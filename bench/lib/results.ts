/**
 * The results file (`bench/results/latest.json`): one entry per part, each
 * with when and how it ran and how noisy the machine was, plus the machine.
 * Running one part replaces only that part's entry. The targets of issue 7
 * are computed from it.
 *
 * @module
 */
import type { FanoutResult, ScenarioResult, SystemRun } from "../parts/fanout.ts";
import type { IdleResult } from "../parts/idle.ts";
import type { ProfileResult } from "../parts/profile.ts";
import type { RpcResult } from "../parts/rpc.ts";
import type { StormResult } from "../parts/storm.ts";
import type { UnbatchedResult } from "../parts/unbatched.ts";
import type { MachineInfo, Noise } from "./machine.ts";
import type { Settings } from "./settings.ts";
import { round } from "./proc.ts";

export const PART_NAMES = ["fanout", "unbatched", "idle", "rpc", "storm", "profile"] as const;
export type PartName = typeof PART_NAMES[number];

export interface PartMeta {
  startedAt: string;
  /** The commit of the working tree when the part ran (the gateway may change between parts). */
  commit?: string;
  durationSeconds: number;
  mode: Settings["mode"];
  repeats: number;
  warmMs: number;
  measureMs: number;
  drainMs: number;
  noise: Noise;
}

export interface PartResults {
  fanout: FanoutResult;
  unbatched: UnbatchedResult;
  idle: IdleResult;
  rpc: RpcResult;
  storm: StormResult;
  profile: ProfileResult;
}

export type PartEntry<K extends PartName> = { meta: PartMeta; result: PartResults[K] };

export interface Results {
  schema: 1;
  updatedAt: string;
  machine: MachineInfo;
  /** Wall time of the last whole run (`deno task bench`), when there was one. */
  lastFullRunSeconds?: number;
  parts: { [K in PartName]?: PartEntry<K> };
}

export interface Target {
  id: string;
  title: string;
  /** What was measured, in words with the numbers. */
  measured: string;
  ratio: number;
  required: string;
  met: boolean | undefined;
  note?: string;
}

/** Says where between two steps a system's capacity lies when its best step kept up. */
function saturationNote(run: SystemRun): string | undefined {
  if (!run.saturated) return "the gateway did not saturate: its figure is a lower bound";
  const best = run.steps.reduce((a, b) => (b.median.delivered > a.median.delivered ? b : a));
  const last = run.steps.at(-1)!;
  if (best === last || best.saturated) return undefined;
  return `it kept up with ${n(best.offered)}/s; at ${n(last.offered)}/s offered it delivered ` +
    `${n(last.median.delivered)}/s, so its capacity lies between`;
}

function scenario(results: Results, id: string): ScenarioResult | undefined {
  return results.parts.fanout?.result.scenarios.find((s) => s.id === id);
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");

export function computeTargets(results: Results): Target[] {
  const targets: Target[] = [];
  for (const id of ["1x1000", "100x10"]) {
    const sc = scenario(results, id);
    const gw = sc?.systems.find((s) => s.system === "gateway");
    const sio = sc?.systems.find((s) => s.system === "socketio");
    if (gw !== undefined && sio !== undefined && gw.steps.length > 0 && sio.steps.length > 0) {
      const ratio = gw.saturationThroughput / sio.saturationThroughput;
      targets.push({
        id: `fanout-${id}-vs-socketio`,
        title: `Log fan-out (${sc!.title}), embedded gateway ≥ 5× the Socket.IO peer`,
        measured: `${n(gw.saturationThroughput)} vs ${n(sio.saturationThroughput)} deliveries/s`,
        ratio: round(ratio, 2),
        required: "≥ 5×",
        met: ratio >= 5,
        note: saturationNote(gw),
      });
    }
    if (gw?.half !== undefined) {
      const p99 = gw.half.median.p99;
      targets.push({
        id: `fanout-${id}-half-load-p99`,
        title: `Log fan-out (${
          sc!.title
        }), embedded gateway p99 at half its saturation load < 50 ms`,
        measured: `p99 ${p99} ms at ${n(gw.half.offered)} deliveries/s offered`,
        ratio: round(p99 / 50, 2),
        required: "< 50 ms",
        met: p99 < 50,
      });
    }
  }
  const ub = results.parts.unbatched?.result.systems;
  const base = ub?.find((s) => s.system === "baseline")?.median;
  const gw = ub?.find((s) => s.system === "gateway")?.median;
  if (base !== undefined && gw !== undefined) {
    const ratio = gw.framesPerSecond / base.framesPerSecond;
    const experiments = ub?.filter((s) =>
      (s.system === "gateway-zero-timers" || s.system === "gateway-microtask-timers") &&
      s.median !== undefined
    ) ?? [];
    targets.push({
      id: "unbatched-vs-baseline",
      title: "One spectator, one event per frame: gateway ≥ 0.8× the bare baseline's frames/s",
      measured: `${n(gw.framesPerSecond)} vs ${n(base.framesPerSecond)} frames/s`,
      ratio: round(ratio, 3),
      required: "≥ 0.8×",
      met: ratio >= 0.8,
      note: experiments.length === 0 ? undefined : experiments.map((e) => {
        const how = e.system === "gateway-zero-timers" ? "setImmediate" : "queueMicrotask";
        const fps = e.median!.framesPerSecond;
        return `experiment, < 1 ms timers as ${how}: ${n(fps)} frames/s = ${
          round(fps / base.framesPerSecond, 2)
        }×`;
      }).join("; "),
    });
  }
  const idle = results.parts.idle?.result.systems;
  const bIdle = idle?.find((s) => s.system === "baseline");
  const gIdle = idle?.find((s) => s.system === "gateway");
  if (bIdle !== undefined && gIdle !== undefined) {
    for (const stage of gIdle.stages) {
      const b = bIdle.stages.find((s) => s.connections === stage.connections);
      if (b === undefined) continue;
      const ratio = stage.rssPerConnection / b.rssPerConnection;
      targets.push({
        id: `idle-${stage.connections}`,
        title: `Memory per idle elevated, spectating connection (${
          n(stage.connections)
        }) ≤ 1.5× the bare baseline's`,
        measured: `${n(stage.rssPerConnection)} vs ${
          n(b.rssPerConnection)
        } bytes RSS per connection`,
        ratio: round(ratio, 2),
        required: "≤ 1.5×",
        met: ratio <= 1.5,
      });
    }
  }
  return targets;
}
