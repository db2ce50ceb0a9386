/**
 * The figures `docs/scaling.md` quotes from the RabbitMQ part, written
 * between its markers by every full run, so the design document never
 * drifts from the measured run:
 *
 * ```md
 * <!-- bench:amqp:start -->
 * (replaced)
 * <!-- bench:amqp:end -->
 * ```
 *
 * A file without the markers is left alone.
 *
 * @module
 */
import type { ScenarioResult } from "../parts/fanout.ts";
import type { StepRow } from "../parts/_step.ts";
import type { Results } from "./results.ts";
import { cores, n, table, us } from "./markdown.ts";

const START = "<!-- bench:amqp:start -->";
const END = "<!-- bench:amqp:end -->";

const rate = (shape: ScenarioResult, row: StepRow) => row.offered / shape.perGuild;

/** The generated block: per guild count, the most a node kept up with and what each process paid. */
export function scalingBlock(results: Results): string | undefined {
  const entry = results.parts.amqp;
  if (entry === undefined) return undefined;
  const rows: string[][] = [];
  for (const shape of entry.result.shapes) {
    for (const s of shape.systems) {
      const kept = s.steps.filter((r) => r.median.lostPct === 0 && r.median.schedP99 < 100)
        .at(-1);
      if (kept === undefined) continue;
      const m = kept.median;
      rows.push([
        shape.title,
        s.system === "gateway-amqp" ? "one per event" : "per guild per 5 ms",
        n(rate(shape, kept)),
        n(m.messages),
        `${us(m.serverUsPerMessage)} / ${us(m.serverUsPerDelivery)}`,
        us(m.brokerUsPerMessage),
        us(m.publisherUsPerMessage),
        `${cores(m.serverCores)} / ${cores(m.brokerCores)} / ${cores(m.publisherCores)}`,
      ]);
    }
  }
  const at = entry.meta.startedAt.slice(0, 10);
  return [
    `_From the RabbitMQ part of \`deno task bench\` (${at}, commit ${
      entry.meta.commit ?? "?"
    }, ${entry.meta.mode} mode), one 2-vCPU machine: node, broker, publisher and receiver on ` +
    "the same cores. Highest offered load each shape kept up with (p99 against the schedule " +
    "< 100 ms, nothing lost); CPU per bus message, µs._",
    "",
    table([
      "node watches",
      "messages",
      "events/s kept up",
      "bus messages/s",
      "node per message / per delivery",
      "broker per message",
      "publisher per message",
      "node / broker / publisher cores",
    ], rows),
  ].join("\n");
}

/** Replaces the block between the markers of `path`; false when it has none. */
export function updateScaling(path: URL, results: Results): boolean {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return false;
  }
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  const block = scalingBlock(results);
  if (a < 0 || b < a || block === undefined) return false;
  Deno.writeTextFileSync(
    path,
    text.slice(0, a + START.length) + "\n\n" + block + "\n\n" + text.slice(b),
  );
  return true;
}
