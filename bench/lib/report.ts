/**
 * Writes BENCHMARKS.md from the results file: the targets, the machine and
 * its noise, a table per scenario, the profiles, and the hand-written
 * analysis (`bench/analysis.md`), which is included as it is.
 *
 * @module
 */
import type { ScenarioResult, StepRow } from "../parts/fanout.ts";
import type { CpuCase, HeapCase } from "../parts/profile.ts";
import { BENCH_ROOT } from "./child.ts";
import { computeTargets, PART_NAMES, type PartMeta, type Results } from "./results.ts";
import { round } from "./proc.ts";

const n = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? "–" : Math.round(x).toLocaleString("en-US");
const ms = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? "–" : x >= 100 ? n(x) : String(round(x, 1));
const num = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : String(x);
const cores = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? "–" : round(x, 2).toFixed(2);

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

function metaLine(meta: PartMeta | undefined, timed = true): string {
  if (meta === undefined) return "";
  const noise = meta.noise;
  return `_Run ${meta.startedAt.slice(0, 16).replace("T", " ")} UTC` +
    (meta.commit ? ` at commit ${meta.commit}` : "") + `, ${meta.mode} mode` +
    (timed
      ? `, ${meta.repeats} repeat(s) of ${meta.warmMs / 1000} s warm-up + ${
        meta.measureMs / 1000
      } s measured`
      : "") +
    `, ${Math.round(meta.durationSeconds)} s in all.` +
    (noise.windows > 0
      ? ` Other processes took ${num(noise.otherCoresMedian)} cores (median; max ` +
        `${num(noise.otherCoresMax)}) during the measurement windows._`
      : "_");
}

function stepNotes(row: StepRow): string {
  const notes: string[] = [];
  if (row.half) notes.push("half load");
  if (row.saturated) notes.push("**saturated**");
  if (row.clientBound) notes.push("client-bound");
  if (row.median.serverDropped > 0) notes.push(`server dropped ${n(row.median.serverDropped)}`);
  if (row.median.gaps > 0) notes.push(`${n(row.median.gaps)} log_gap`);
  if (row.deliveredSpreadPct > 15) notes.push(`spread ${row.deliveredSpreadPct}%`);
  return notes.join(", ");
}

function fanoutSection(sc: ScenarioResult): string {
  const out: string[] = [];
  out.push(`### ${sc.title}\n`);
  out.push(`![${sc.title}](bench/results/fanout-${sc.id}.svg)\n`);
  const summary = sc.systems.map((s) => [
    s.label,
    s.error
      ? `failed: ${s.error.slice(0, 120)}`
      : n(s.saturationThroughput) + (s.saturated ? "" : " (not saturated)"),
    s.half ? ms(s.half.median.p99) : "–",
  ]);
  out.push(
    table(["system", "saturation throughput (deliveries/s)", "p99 at half of it (ms)"], summary),
  );
  out.push("");
  for (const s of sc.systems) {
    if (s.steps.length === 0) continue;
    out.push(`**${s.label}**\n`);
    const rows = [...s.steps, ...(s.half ? [s.half] : [])].map((r) => {
      const m = r.median;
      return [
        n(r.offered),
        n(m.delivered),
        n(m.framesPerSecond),
        String(m.eventsPerFrame),
        ms(m.p50),
        ms(m.p99),
        ms(m.max),
        ms(m.serverP99),
        `${m.lostPct}`,
        cores(m.serverCores),
        n(m.serverPeakRssMb),
        cores(m.clientCores),
        m.publisherCores === undefined
          ? "–"
          : `${cores(m.publisherCores)} / ${cores(m.brokerCores)}`,
        stepNotes(r),
      ];
    });
    out.push(table([
      "offered/s",
      "delivered/s",
      "frames/s",
      "events/frame",
      "p50 ms",
      "p99 ms",
      "max ms",
      "server-side p99 ms",
      "lost %",
      "server CPU",
      "server peak RSS MB",
      "client CPU",
      "publisher / broker CPU",
      "notes",
    ], rows));
    out.push("");
  }
  return out.join("\n");
}

function cpuCase(c: CpuCase): string {
  const out: string[] = [];
  const facts = [
    c.delivered !== undefined ? `${n(c.delivered)} deliveries/s delivered` : undefined,
    c.framesPerSecond !== undefined ? `${n(c.framesPerSecond)} frames/s` : undefined,
    c.eventsPerFrame !== undefined ? `${c.eventsPerFrame} events/frame` : undefined,
    c.p99 !== undefined ? `p99 ${ms(c.p99)} ms` : undefined,
    c.serverCores !== undefined ? `server ${cores(c.serverCores)} cores` : undefined,
  ].filter((x) => x !== undefined).join(", ");
  out.push(`**${c.title}** (${facts}; ${n(c.summary.wallMs)} ms profiled)\n`);
  if (c.serverCores !== undefined) {
    const js = round((100 - c.summary.idlePct) / 100, 2);
    out.push(
      `JS ran on the main thread ${round(100 - c.summary.idlePct, 1)} % of the time (≈ ${js} ` +
        `cores); the rest of the ${cores(c.serverCores)} cores the process used was Deno's Rust ` +
        `side (event loop, socket writes, WebSocket framing) and V8's helper threads.\n`,
    );
  }
  out.push(table(
    ["where the main thread's time went", "% of samples"],
    Object.entries(c.summary.areas).map(([k, v]) => [k, `${v}`]),
  ));
  out.push("");
  out.push(table(
    ["top functions by self time", "where", "self %", "incl. %"],
    c.summary.topSelf.slice(0, 10).map((f) => [
      `\`${f.fn}\``,
      f.where,
      `${f.selfPct}`,
      `${f.totalPct}`,
    ]),
  ));
  out.push("");
  if (c.summary.topGateway.length > 0) {
    out.push(table(
      ["gateway functions by inclusive time", "where", "incl. %", "self %"],
      c.summary.topGateway.slice(0, 10).map((f) => [
        `\`${f.fn}\``,
        f.where,
        `${f.totalPct}`,
        `${f.selfPct}`,
      ]),
    ));
    out.push("");
  }
  return out.join("\n");
}

function heapCase(h: HeapCase): string {
  const out: string[] = [];
  out.push(
    `**${h.system}**: JS heap grew ${n(h.heapPerConnection)} bytes per connection ` +
      `(${n(h.connections)} connections; heap snapshots before and after)\n`,
  );
  out.push(table(
    ["what grew (constructor or kind)", "objects", "bytes per connection"],
    h.groups.slice(0, 12).map((
      g,
    ) => [`\`${g.name.replace(/\|/g, "\\|")}\``, n(g.count), String(g.perConnection)]),
  ));
  out.push("");
  return out.join("\n");
}

export function renderReport(results: Results): string {
  const m = results.machine;
  const p = results.parts;
  const out: string[] = [];
  out.push("# Benchmarks\n");
  out.push(
    "How the gateway compares with a bare Deno WebSocket server and with Socket.IO 4, measured on " +
      "one machine with the load generators in processes of their own. Generated by " +
      "`deno task bench` from [`bench/results/latest.json`](bench/results/latest.json); the " +
      "method is in [`bench/README.md`](bench/README.md). Do not edit by hand: change " +
      "`bench/analysis.md` (included below) or the code and run the benchmark again.\n",
  );
  if (results.lastFullRunSeconds !== undefined) {
    out.push(
      `Last whole run: ${Math.round(results.lastFullRunSeconds / 60)} min, finished ${
        results.updatedAt.slice(0, 16).replace("T", " ")
      } UTC.\n`,
    );
  }

  out.push("## Targets (issue 7)\n");
  const targets = computeTargets(results);
  out.push(table(
    ["target", "measured (same run)", "ratio", "required", "result"],
    targets.map((t) => [
      t.title,
      t.measured + (t.note ? ` (${t.note})` : ""),
      `${t.ratio}`,
      t.required,
      t.met === undefined ? "–" : t.met ? "**met**" : "**missed**",
    ]),
  ));
  out.push("");

  out.push("## Reproduce\n");
  out.push("```sh");
  out.push(
    "deno task bench            # everything, ~25 min; writes BENCHMARKS.md, bench/results/",
  );
  out.push(
    "deno task bench:quick      # < 2 min, to check a change; prints a summary, writes nothing here",
  );
  out.push("deno task bench:fanout     # one part (also :unbatched :idle :rpc :storm :profile)");
  out.push("```\n");
  out.push(
    "Needs Deno 2, Node ≥ 18 with npm (the Socket.IO peer is installed into `bench/peer/` on first " +
      "use) and, for the RabbitMQ parts, a broker on `amqp://guest:guest@127.0.0.1:5672` " +
      "(`BENCH_AMQP_URL` to change; `deno task test` starts the local one).\n",
  );

  out.push("## Machine and versions\n");
  out.push(table(["", ""], [
    ["CPU", `${m.cpuModel}, ${m.cpus} vCPUs`],
    ["memory", `${m.memoryGb} GiB`],
    ["OS", `${m.os}, Linux ${m.kernel}`],
    ["Deno", `${m.deno} (V8 ${m.v8}, TypeScript ${m.typescript})`],
    ["Node", m.node],
    ["Socket.IO", `socket.io ${m.socketIo}, socket.io-client ${m.socketIoClient}`],
    ["RabbitMQ", `${m.rabbitmq} (Erlang ${m.erlang})`],
    [
      "gateway dependencies",
      Object.entries(m.dependencies).map(([k, v]) => `${k} ${v}`).join(", "),
    ],
    ["commit", m.gitCommit],
  ]));
  out.push("");

  out.push("## How noisy the machine was\n");
  out.push(
    "Client, server, publisher and broker share the same 2 vCPUs, so a system that needs a core " +
      'for itself leaves one for everything else; "client-bound" marks steps whose receivers ' +
      'used ≥ 0.9 of a core. The machine was also shared with other people\'s work: "other" is ' +
      "CPU taken by processes outside the benchmark during the measurement windows.\n",
  );
  out.push(table(
    [
      "part",
      "background before (cores)",
      "load average before",
      "other during windows, median / max (cores)",
      "steal max %",
      "calibration loop before → after (ms)",
    ],
    PART_NAMES.filter((name) => p[name] !== undefined).map((name) => {
      const z = p[name]!.meta.noise;
      return [
        name,
        String(z.backgroundCoresBefore) +
        (z.waitedSeconds > 3 ? ` (after waiting ${z.waitedSeconds} s)` : ""),
        z.loadAverageBefore.join(" "),
        z.windows === 0
          ? "– (not CPU-bound)"
          : `${num(z.otherCoresMedian)} / ${num(z.otherCoresMax)}`,
        String(z.stealPctMax),
        `${z.calibrationMsBefore} → ${z.calibrationMsAfter}`,
      ];
    }),
  ));
  out.push("");
  out.push(
    'Every figure is the median of the repeats; "spread" notes where the repeats differ by more ' +
      'than 15 %. The calibration loop is a fixed single-threaded workload: a slower "after" means ' +
      "the machine got busier during the part.\n",
  );

  if (p.fanout) {
    out.push("## Log fan-out\n");
    out.push(metaLine(p.fanout.meta) + "\n");
    out.push(
      "Offered load is deliveries per second in total (events per second × spectators per " +
        "guild). ~300-byte LogEvent JSON; publisher ticks every 5 ms; the gateway batches per guild " +
        "with its default settings, the baseline and Socket.IO send one event per " +
        "frame. Latency is publish → receipt on ~50 sampled connections (every event on them); " +
        '"server-side" is publish → frame handed to the socket on the same share of connections ' +
        "(gateway and baseline), so the rest of the end-to-end figure is the receivers' queueing; " +
        '"lost" counts events not received by the end of the drain (up to ' +
        `${
          p.fanout.meta.drainMs / 1000
        } s after the publisher stops). A system's ladder stops at ` +
        'its first saturated step; "half load" is a further step at half its saturation ' +
        "throughput.\n",
    );
    const gw = p.fanout.result.scenarios.flatMap((s) => s.systems).find((s) =>
      s.system === "gateway" && s.server !== undefined
    );
    const logs = gw?.server?.logs as Record<string, number> | undefined;
    if (logs !== undefined) {
      out.push(
        `The gateway's log settings in this run: ${
          Object.entries(logs).map(([k, v]) => `\`${k}\` ${v}`).join(", ")
        } (\`windowMs\` is \`LOG_BATCH_WINDOW_MS\`; where the gateway has a frame budget, the ` +
          "window it uses is the larger of that and spectators ÷ budget).\n",
      );
    }
    for (const sc of p.fanout.result.scenarios) out.push(fanoutSection(sc));
  }

  if (p.unbatched) {
    out.push("## Without batching: one spectator, one event per frame\n");
    out.push(metaLine(p.unbatched.meta) + "\n");
    out.push(
      "Closed loop in the server process: hand over one event, wait until its frame is handed " +
        "to the socket, yield one macrotask, repeat (pausing while more than 64 KiB is unsent). " +
        "Gateway with `LOG_BATCH_WINDOW_MS=0`. Frames/s counted by the receiver.\n",
    );
    out.push(table(
      [
        "system",
        "frames/s",
        "events/frame",
        "p50 ms",
        "p99 ms",
        "server CPU",
        "client CPU",
        "notes",
      ],
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
  }

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

  out.push("## What limits each system\n");
  try {
    out.push(Deno.readTextFileSync(new URL("analysis.md", BENCH_ROOT)).trim() + "\n");
  } catch {
    out.push("_No analysis written yet (`bench/analysis.md`)._\n");
  }

  if (p.profile) {
    out.push("## Profiles\n");
    out.push(metaLine(p.profile.meta, false) + "\n");
    out.push(
      "V8's sampling CPU profiler (what `deno run --cpu-prof` uses), started and stopped inside " +
        "the server around one measured window; heap snapshots with `node:v8`. V8 counts as " +
        "idle every sample in which no JS runs: Deno's event loop then either waits or runs Rust " +
        "(socket writes, WebSocket framing) between JS calls, so the CPU the process used (from " +
        '/proc) says which. "native" is time V8 attributes to no JS function.\n',
    );
    for (const c of p.profile.result.cpu) out.push(cpuCase(c));
    for (const h of p.profile.result.heap) out.push(heapCase(h));
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}
