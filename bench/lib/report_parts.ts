/**
 * BENCHMARKS.md's sections on idle connections, requests and the connect
 * storm.
 *
 * @module
 */
import type { Results } from "./results.ts";
import { cores, metaLine, ms, n, table } from "./markdown.ts";

export function otherSections(results: Results): string {
  const p = results.parts;
  const out: string[] = [];
  if (p.idle) {
    out.push("## Idle connections: memory per connection\n");
    out.push(metaLine(p.idle.meta, false) + "\n");
    out.push(
      "Server RSS after a full GC, empty and after each stage (connections opened by a separate " +
        "process, 2 s to settle). Gateway connections are elevated by cookie and spectate a guild " +
        "with logs. Kernel socket buffers are not in RSS.\n",
    );
    const rows: string[][] = [];
    for (const s of p.idle.result.systems) {
      if (s.error) {
        rows.push([s.label, "–", `failed: ${s.error}`, "", "", "", ""]);
        continue;
      }
      let prev: { connections: number; rssMb: number } | undefined;
      for (const st of s.stages) {
        const marginal = prev === undefined
          ? "–"
          : n(((st.rssMb - prev.rssMb) * 1048576) / (st.connections - prev.connections));
        rows.push([
          s.label,
          n(st.connections),
          `${s.emptyRssMb} → ${st.rssMb}`,
          n(st.rssPerConnection),
          marginal,
          n(st.heapPerConnection),
          `${n(st.serverSees)} (${st.openSeconds} s to open)`,
        ]);
        prev = st;
      }
    }
    out.push(table([
      "system",
      "connections",
      "RSS MB (empty → now)",
      "RSS bytes/conn",
      "marginal bytes/conn (since previous stage)",
      "JS heap bytes/conn",
      "server counts",
    ], rows));
    out.push("");
  }

  if (p.rpc) {
    out.push("## Request/response\n");
    out.push(metaLine(p.rpc.meta) + "\n");
    out.push(
      `Closed loop: each client connection has one request in flight. "ids": \`pool_request member\` ` +
        `for ${p.rpc.result.idsPerRequest} random members of the Big Guild; "all": ` +
        "`pool_all_request member` of the Big Guild (10,000 members in 10 chunks). The RabbitMQ " +
        "mode runs `backend_main.ts` as its own process, answering the shard RPC over the broker.\n",
    );
    out.push(table(
      [
        "system",
        "request",
        "clients",
        "req/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "errors",
        "MB/s",
        "server CPU",
        "backend / broker CPU",
        "client CPU",
      ],
      p.rpc.result.cases.map((c) => {
        const r = c.median;
        if (r === undefined) {
          return [c.label, "", "", `failed: ${c.error ?? ""}`, "", "", "", "", "", "", "", ""];
        }
        return [
          c.label,
          c.kind === "ids" ? `by ${p.rpc!.result.idsPerRequest} ids` : "all 10,000",
          String(c.concurrency),
          n(r.perSecond),
          ms(r.p50),
          ms(r.p99),
          ms(r.max),
          n(r.errors),
          String(r.mbPerSecond),
          cores(r.serverCores),
          r.backendCores === undefined ? "–" : `${cores(r.backendCores)} / ${cores(r.brokerCores)}`,
          cores(r.clientCores),
        ];
      }),
    ));
    out.push("");
  }

  if (p.storm) {
    out.push("## Connect storm\n");
    out.push(metaLine(p.storm.meta) + "\n");
    out.push(
      "Open 5,000 connections at once (≤ 500 handshakes in flight) and get one answer on each; " +
        "for the gateway the upgrade carries the `dev-token` cookie and the answer to `session` " +
        "must say `elevated: true`. Latency per connection: start of the handshake → answer.\n",
    );
    out.push(table(
      [
        "system",
        "connections",
        "total ms",
        "per second",
        "p50 ms",
        "p99 ms",
        "failed",
        "server CPU",
        "server peak RSS MB",
      ],
      p.storm.result.systems.map((s) => {
        const r = s.median;
        if (r === undefined) {
          return [s.label, n(s.count), `failed: ${s.error ?? ""}`, "", "", "", "", "", ""];
        }
        return [
          s.label,
          n(s.count),
          n(r.totalMs),
          n(r.perSecond),
          ms(r.p50),
          ms(r.p99),
          n(r.failed + r.notElevated),
          cores(r.serverCores),
          n(r.serverPeakRssMb),
        ];
      }),
    ));
    out.push("");
  }

  return out.join("\n");
}
