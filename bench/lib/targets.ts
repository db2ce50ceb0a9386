/**
 * The targets the benchmark checks, computed from the results file:
 * issue 7's (fan-out against Socket.IO with the same receiver, p99 at half
 * load, one event per frame, memory per idle connection) and issue 20's
 * (the RabbitMQ path at Architus' shape). Latency targets are judged
 * against the schedule, so an overloaded publisher or broker cannot hide
 * delay.
 *
 * @module
 */
import type { ScenarioResult, SystemRun } from "../parts/fanout.ts";
import type { StepRow } from "../parts/_step.ts";
import type { Results } from "./results.ts";
import { round } from "./proc.ts";

export interface Target {
  id: string;
  /** The issue the target comes from. */
  issue: number;
  title: string;
  /** What was measured, in words with the numbers. */
  measured: string;
  ratio: number;
  required: string;
  met: boolean | undefined;
  note?: string;
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");

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

export function computeTargets(results: Results): Target[] {
  return [...fanoutTargets(results), ...amqpTargets(results), ...otherTargets(results)];
}

function fanoutTargets(results: Results): Target[] {
  const targets: Target[] = [];
  for (const id of ["1x1000", "100x10"]) {
    const sc = scenario(results, id);
    const gw = sc?.systems.find((s) => s.system === "gateway");
    const sio = sc?.systems.find((s) => s.system === "socketio");
    if (gw !== undefined && sio !== undefined && gw.steps.length > 0 && sio.steps.length > 0) {
      const ratio = gw.saturationThroughput / sio.saturationThroughput;
      targets.push({
        id: `fanout-${id}-vs-socketio`,
        issue: 7,
        title: `Log fan-out (${sc!.title}), embedded gateway ≥ 5× the Socket.IO peer, ` +
          "both received by the same lean receiver",
        measured: `${n(gw.saturationThroughput)} vs ${n(sio.saturationThroughput)} deliveries/s`,
        ratio: round(ratio, 2),
        required: "≥ 5×",
        met: ratio >= 5,
        note: saturationNote(gw),
      });
    }
    if (gw?.half !== undefined) {
      const p99 = gw.half.median.schedP99;
      targets.push({
        id: `fanout-${id}-half-load-p99`,
        issue: 7,
        title: `Log fan-out (${sc!.title}), embedded gateway p99 against the schedule at half ` +
          "its saturation load < 50 ms",
        measured: `p99 ${p99} ms at ${n(gw.half.offered)} deliveries/s offered ` +
          `(publish → receipt: ${gw.half.median.p99} ms)`,
        ratio: round(p99 / 50, 2),
        required: "< 50 ms",
        met: p99 < 50,
      });
    }
  }
  return targets;
}

/** A step kept up: no loss and p99 against the schedule under `p99Ms`. */
function keptUp(row: StepRow, p99Ms: number): boolean {
  return row.median.lostPct === 0 && row.median.schedP99 < p99Ms;
}

function amqpTargets(results: Results): Target[] {
  const amqp = results.parts.amqp?.result;
  if (amqp === undefined) return [];
  const targets: Target[] = [];
  const perEvent = (guilds: number) =>
    amqp.shapes.find((s) => s.guilds === guilds)?.systems.find((s) => s.system === "gateway-amqp");
  const few = perEvent(Math.min(...amqp.shapes.map((s) => s.guilds)));
  const many = perEvent(Math.max(...amqp.shapes.map((s) => s.guilds)));
  const fewShape = amqp.shapes.find((s) => s.systems.includes(few!));
  const manyShape = amqp.shapes.find((s) => s.systems.includes(many!));
  if (few !== undefined && many !== undefined && fewShape && manyShape && few !== many) {
    const rate = (shape: ScenarioResult, row: StepRow) => row.offered / shape.perGuild;
    const at = (run: SystemRun, shape: ScenarioResult, r: number) =>
      run.steps.find((row) => rate(shape, row) === r);
    // The reference rate, or failing it the highest rate both kept up with.
    const common = many.steps.map((row) => rate(manyShape, row)).filter((r) =>
      at(few, fewShape, r) !== undefined
    );
    const kept = common.filter((r) =>
      keptUp(at(few, fewShape, r)!, 1000) && keptUp(at(many, manyShape, r)!, 1000)
    );
    const r = common.includes(amqp.referenceRate) ? amqp.referenceRate : kept.at(-1);
    const a = r === undefined ? undefined : at(few, fewShape, r)?.median.serverUsPerMessage;
    const b = r === undefined ? undefined : at(many, manyShape, r)?.median.serverUsPerMessage;
    if (a !== undefined && b !== undefined) {
      targets.push({
        id: "amqp-cpu-per-message",
        issue: 20,
        title: `RabbitMQ, one message per event: the node's CPU per message with ${
          n(manyShape.guilds)
        } guilds watched within 1.5× of its cost with ${n(fewShape.guilds)}`,
        measured: `${round(b, 1)} vs ${round(a, 1)} µs per message at ${
          n(r!)
        } messages/s (${manyShape.perGuild} vs ${fewShape.perGuild} deliveries each)`,
        ratio: round(b / a, 2),
        required: "≤ 1.5×",
        met: b / a <= 1.5,
      });
    }
  }
  if (many !== undefined && manyShape !== undefined) {
    const rows = many.steps.filter((row) => keptUp(row, 100));
    const best = rows.at(-1);
    const rate = best === undefined ? 0 : best.offered / manyShape.perGuild;
    const broker = best?.median.brokerCores;
    targets.push({
      id: "amqp-keeps-up",
      issue: 20,
      title: `RabbitMQ, one message per event over ${
        n(manyShape.guilds)
      } guilds: one node keeps up (p99 against the schedule < 100 ms, no loss) with ≥ 10,000 messages/s`,
      measured: best === undefined
        ? "it did not keep up at any step"
        : `kept up with ${n(rate)} messages/s: p99 ${best.median.schedP99} ms against the ` +
          `schedule, node ${best.median.serverCores} cores, broker ${broker} cores, publisher ` +
          `${best.median.publisherCores} cores`,
      ratio: round(rate / 10_000, 2),
      required: "≥ 10,000/s",
      met: rate >= 10_000,
    });
  }
  return targets;
}

function otherTargets(results: Results): Target[] {
  const targets: Target[] = [];
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
      issue: 7,
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
        issue: 7,
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
