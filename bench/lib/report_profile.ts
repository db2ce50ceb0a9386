/**
 * BENCHMARKS.md's profiles section: where the servers' main threads spent
 * their time (V8's sampling profiler) and what a connection adds to the
 * heap.
 *
 * @module
 */
import type { CpuCase, HeapCase } from "../parts/profile.ts";
import type { Results } from "./results.ts";
import { round } from "./proc.ts";
import { cores, metaLine, ms, n, table } from "./markdown.ts";

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

export function profileSection(results: Results): string {
  const p = results.parts;
  const out: string[] = [];
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
  return out.join("\n");
}
