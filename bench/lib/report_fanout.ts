/**
 * BENCHMARKS.md's fan-out sections: the log fan-out scenarios (a summary and
 * a table of steps per system) and the one-event-per-frame part.
 *
 * @module
 */
import type { ScenarioResult } from "../parts/fanout.ts";
import type { StepRow } from "../parts/_step.ts";
import type { Results } from "./results.ts";
import { cores, metaLine, ms, n, table, us } from "./markdown.ts";

function stepNotes(row: StepRow): string {
  const notes: string[] = [];
  if (row.half) notes.push("half load");
  if (row.saturated) notes.push("**saturated**");
  if (row.clientBound) notes.push("client-bound");
  if (row.median.serverDropped > 0) notes.push(`server dropped ${n(row.median.serverDropped)}`);
  if (row.median.gaps > 0) notes.push(`${n(row.median.gaps)} log_gap`);
  if (row.median.holes > 0) notes.push(`${n(row.median.holes)} holes`);
  if (row.deliveredSpreadPct > 15) notes.push(`spread ${row.deliveredSpreadPct}%`);
  return notes.join(", ");
}

/** The table of a system's steps: throughput, latency both ways, CPU of everyone involved. */
export function stepTable(steps: readonly StepRow[], options: { messages?: boolean } = {}): string {
  const rows = steps.map((r) => {
    const m = r.median;
    const perMessage = options.messages
      ? [
        n(m.messages),
        us(m.serverUsPerMessage),
        `${us(m.brokerUsPerMessage)} / ${us(m.publisherUsPerMessage)}`,
      ]
      : [];
    return [
      n(r.offered),
      n(m.delivered),
      n(m.framesPerSecond),
      String(m.eventsPerFrame),
      ms(m.p50),
      ms(m.p99),
      ms(m.schedP99),
      ms(m.schedMax),
      ms(m.serverP99),
      `${m.lostPct}`,
      cores(m.serverCores),
      us(m.serverUsPerDelivery),
      ...perMessage,
      n(m.serverPeakRssMb),
      cores(m.clientCores),
      m.publisherCores === undefined ? "–" : `${cores(m.publisherCores)} / ${cores(m.brokerCores)}`,
      stepNotes(r),
    ];
  });
  return table([
    "offered deliveries/s",
    "delivered/s",
    "frames/s",
    "events/frame",
    "p50 ms",
    "p99 ms",
    "p99 vs schedule ms",
    "max vs schedule ms",
    "server-side p99 ms",
    "lost %",
    "server CPU",
    "server µs/delivery",
    ...(options.messages
      ? ["bus messages/s", "node µs/message", "broker / publisher µs/message"]
      : []),
    "server peak RSS MB",
    "receiver CPU",
    "publisher / broker CPU",
    "notes",
  ], rows);
}

function fanoutScenario(sc: ScenarioResult): string {
  const out: string[] = [];
  out.push(`### ${sc.title}\n`);
  out.push(`![${sc.title}](bench/results/fanout-${sc.id}.svg)\n`);
  const summary = sc.systems.map((s) => {
    // CPU per delivery at the highest step every system kept up with is the fairest comparison.
    const kept = s.steps.filter((r) => !r.saturated).at(-1);
    return [
      s.label,
      s.error
        ? `failed: ${s.error.slice(0, 120)}`
        : n(s.saturationThroughput) + (s.saturated ? "" : " (not saturated)"),
      s.half ? `${ms(s.half.median.schedP99)} (${ms(s.half.median.p99)})` : "–",
      kept ? `${us(kept.median.serverUsPerDelivery)} at ${n(kept.offered)}/s` : "–",
    ];
  });
  out.push(table([
    "system",
    "saturation throughput (deliveries/s)",
    "p99 at half of it, vs schedule (vs publish), ms",
    "server CPU per delivery, µs (highest step kept up)",
  ], summary));
  out.push("");
  for (const s of sc.systems) {
    if (s.steps.length === 0) continue;
    out.push(`**${s.label}**\n`);
    out.push(stepTable([...s.steps, ...(s.half ? [s.half] : [])], {
      messages: s.steps.some((r) => r.median.messages !== undefined),
    }));
    out.push("");
  }
  return out.join("\n");
}

export function fanoutSection(results: Results): string {
  const p = results.parts;
  if (!p.fanout) return "";
  const out: string[] = [];
  out.push("## Log fan-out\n");
  out.push(metaLine(p.fanout.meta) + "\n");
  out.push(
    "Offered load is deliveries per second in total (events per second × spectators per " +
      "guild). ~340-byte LogEvent JSON; the publisher ticks every 5 ms; the gateway batches per " +
      "guild with its default settings, the baseline and Socket.IO send one event per frame; " +
      "the RabbitMQ publisher sends one message per event, as a bot shard does. Every system is " +
      "received by the same lean receiver (Socket.IO's packets parsed by hand), and latency is " +
      'taken from every event on every connection: "p99" is publish → receipt, "vs schedule" ' +
      "is due (when the open-loop schedule made the event due) → receipt, so a publisher or " +
      'broker that falls behind shows as delay; "server-side" is publish → frame handed to the ' +
      "socket on ~50 connections (gateway and baseline), so the rest of the end-to-end figure " +
      "is the receiver's queueing. \"Server µs/delivery\" is the server's CPU divided by the " +
      'deliveries received: it does not depend on which process saturates first. "Lost" counts ' +
      `events not received by the end of the drain (up to ${p.fanout.meta.drainMs / 1000} s ` +
      "after the publisher stops). A system's ladder stops at its first saturated step (lost " +
      '> 1 %, p99 against the schedule > 1 s, or under 90 % delivered); "half load" is a ' +
      "further step at half its saturation throughput.\n",
  );
  const gw = p.fanout.result.scenarios.flatMap((s) => s.systems).find((s) =>
    s.system === "gateway" && s.server !== undefined
  );
  const logs = gw?.server?.logs as Record<string, number> | undefined;
  if (logs !== undefined) {
    out.push(
      `The gateway's log settings in this run: ${
        Object.entries(logs).map(([k, v]) => `\`${k}\` ${v}`).join(", ")
      } (\`windowMs\` is \`LOG_BATCH_WINDOW_MS\`; the window in force is the larger of that and ` +
        "log spectators ÷ `frameBudget`).\n",
    );
  }
  for (const sc of p.fanout.result.scenarios) out.push(fanoutScenario(sc));
  return out.join("\n");
}

export function unbatchedSection(results: Results): string {
  const p = results.parts;
  if (!p.unbatched) return "";
  const out: string[] = [];
  out.push("## Without batching: one spectator, one event per frame\n");
  out.push(metaLine(p.unbatched.meta) + "\n");
  out.push(
    "Closed loop in the server process: hand over one event, wait until its frame is handed " +
      "to the socket, yield one macrotask, repeat (pausing while more than 64 KiB is unsent). " +
      "Gateway with `LOG_BATCH_WINDOW_MS=0`. Frames/s counted by the receiver.\n",
  );
  out.push(table(
    ["system", "frames/s", "events/frame", "p50 ms", "p99 ms", "server CPU", "client CPU", "notes"],
    p.unbatched.result.systems.map((s) => {
      const r = s.median;
      if (r === undefined) return [s.label, `failed: ${s.error ?? ""}`, "", "", "", "", "", ""];
      return [
        s.label,
        n(r.framesPerSecond),
        String(r.eventsPerFrame),
        ms(r.p50),
        ms(r.p99),
        cores(r.serverCores),
        cores(r.clientCores),
        (s.spreadPct ?? 0) > 15 ? `spread ${s.spreadPct}%` : "",
      ];
    }),
  ));
  out.push("");
  return out.join("\n");
}
