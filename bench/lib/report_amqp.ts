/**
 * BENCHMARKS.md's RabbitMQ section (part "amqp", issue 20): the node at
 * Architus' shape, one message per event, at 10, 100 and 1,000 guilds
 * beside the batched publisher, with the CPU per message of the node, the
 * broker and the publisher; and what consuming alone costs per message.
 *
 * @module
 */
import type { ScenarioResult } from "../parts/fanout.ts";
import type { StepRow } from "../parts/_step.ts";
import type { Results } from "./results.ts";
import { cores, metaLine, ms, n, table, us } from "./markdown.ts";
import { stepTable } from "./report_fanout.ts";

/** Events (= per-event messages) per second of a step. */
const rate = (shape: ScenarioResult, row: StepRow) => row.offered / shape.perGuild;

/** One line per guild count and publisher: the best step kept up, and its CPU per message. */
function summary(shapes: readonly ScenarioResult[]): string {
  const rows: string[][] = [];
  for (const shape of shapes) {
    for (const s of shape.systems) {
      if (s.error) {
        rows.push([shape.title, s.label, `failed: ${s.error.slice(0, 120)}`, "", "", "", "", ""]);
        continue;
      }
      const kept = s.steps.filter((r) => r.median.lostPct === 0 && r.median.schedP99 < 100)
        .at(-1);
      const m = kept?.median;
      rows.push([
        shape.title,
        s.label,
        kept ? n(rate(shape, kept)) : "none",
        kept ? ms(m!.schedP99) : "–",
        kept ? n(m!.messages) : "–",
        kept ? `${us(m!.serverUsPerMessage)} / ${us(m!.serverUsPerDelivery)}` : "–",
        kept ? `${us(m!.brokerUsPerMessage)} / ${us(m!.publisherUsPerMessage)}` : "–",
        kept
          ? `${cores(m!.serverCores)} / ${cores(m!.brokerCores)} / ${cores(m!.publisherCores)} / ${
            cores(m!.clientCores)
          }`
          : "–",
      ]);
    }
  }
  return table([
    "shape",
    "publisher",
    "events/s kept up (p99 vs schedule < 100 ms, no loss)",
    "its p99 vs schedule ms",
    "bus messages/s",
    "node µs per message / per delivery",
    "broker / publisher µs per message",
    "node / broker / publisher / receiver cores",
  ], rows);
}

/** The node's CPU per message at each rate, by guild count (per-event publisher). */
function perMessageTable(shapes: readonly ScenarioResult[]): string {
  const rates = [
    ...new Set(
      shapes.flatMap((sh) =>
        sh.systems.filter((s) => s.system === "gateway-amqp").flatMap((s) =>
          s.steps.map((r) => rate(sh, r))
        )
      ),
    ),
  ].sort((a, b) => a - b);
  const rows = rates.map((r) => [
    n(r),
    ...shapes.map((sh) => {
      const step = sh.systems.find((s) => s.system === "gateway-amqp")?.steps.find((x) =>
        rate(sh, x) === r
      );
      if (step === undefined) return "–";
      const m = step.median;
      return `${us(m.serverUsPerMessage)}${step.saturated ? " (saturated)" : ""}`;
    }),
  ]);
  return table(
    ["events (= messages)/s", ...shapes.map((s) => `${s.title}: node µs/message`)],
    rows,
  );
}

export function amqpSection(results: Results): string {
  const entry = results.parts.amqp;
  if (!entry) return "";
  const a = entry.result;
  const out: string[] = [];
  out.push("## The RabbitMQ path at Architus' shape\n");
  out.push(metaLine(entry.meta) + "\n");
  out.push(
    `One gateway node on the local broker with ${n(a.spectators)} spectators spread over ` +
      `${a.shapes.map((s) => n(s.guilds)).join(", ")} guilds, and a separate publisher process ` +
      "sending each ~340-byte log event as one AMQP message to `guild.<id>.log.public`, as a " +
      "bot shard does; beside it the same events batched per guild per 5 ms tick. Offered load " +
      "is events per second (each delivered to every spectator of its guild); the node, the " +
      "broker, the publisher and the receiver share the machine's two cores. CPU per message " +
      "is each process's CPU over the measurement window divided by the bus messages published " +
      "in it, so the column that grows first shows where the limit is.\n",
  );
  out.push(summary(a.shapes));
  out.push("");
  out.push(
    "The node's CPU per message at each rate, one message per event (the target compares " +
      `${n(Math.max(...a.shapes.map((s) => s.guilds)))} guilds with ${
        n(Math.min(...a.shapes.map((s) => s.guilds)))
      } at ${n(a.referenceRate)} messages/s; with few guilds each message reaches more ` +
      "spectators, so it costs more frames):\n",
  );
  out.push(perMessageTable(a.shapes));
  out.push("");
  for (const shape of a.shapes) {
    out.push(`### ${shape.title}\n`);
    for (const s of shape.systems) {
      if (s.steps.length === 0) continue;
      out.push(`**${s.label}**\n`);
      out.push(stepTable(s.steps, { messages: true }));
      out.push("");
    }
  }
  const c = a.consumers;
  out.push("### What consuming alone costs\n");
  out.push(
    `A process that only consumes: one exclusive queue bound to ${n(c.guilds)} guilds' keys, ` +
      `no acks unless said, while the publisher sends ${n(c.rate)} messages/s, one per event. ` +
      "CPU per message received, for each way of consuming; the hand-cut reader " +
      "(`bench/clients/_amqp_wire.ts`, a measuring tool, not for production) is the floor of " +
      "reading and decoding frames in JS on this runtime.\n",
  );
  if (c.error) out.push(`_Failed: ${c.error}_\n`);
  out.push(table(
    [
      "consumer",
      "messages/s received",
      "consumer µs/message",
      "broker µs/message",
      "publisher µs/message",
      "consumer / broker / publisher cores",
    ],
    c.rows.map((r) => [
      r.label,
      n(r.received),
      us(r.consumerUs),
      us(r.brokerUs),
      us(r.publisherUs),
      `${cores(r.consumerCores)} / ${cores(r.brokerCores)} / ${cores(r.publisherCores)}`,
    ]),
  ));
  out.push("");
  return out.join("\n");
}
