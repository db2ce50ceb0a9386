/**
 * Reading V8 CPU profiles (`.cpuprofile`) and heap snapshots
 * (`.heapsnapshot`) into small summaries for BENCHMARKS.md: where the
 * sampled time went (self and inclusive, by function and by area) and what
 * the heap holds (by constructor), and the difference of two snapshots.
 *
 * @module
 */
import { round } from "./proc.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  fn: string;
  where: string;
  selfPct: number;
  totalPct: number;
}

export interface CpuSummary {
  /** Wall time the profile covers, in ms. */
  wallMs: number;
  /** Share of samples in which the thread was idle. */
  idlePct: number;
  /** Sampled time by area (percent of all samples). */
  areas: Record<string, number>;
  /** Top functions by self time. */
  topSelf: FunctionTime[];
  /** Top gateway functions by inclusive time. */
  topGateway: FunctionTime[];
}

/**
 * V8 samples "(idle)" whenever no JS runs on the main thread: Deno's event
 * loop is then either waiting or running Rust (socket writes, WebSocket
 * framing, timers) between JS calls.
 */
export const IDLE = "outside JS (event loop: Rust-side I/O, or waiting)";

function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === "(idle)") return IDLE;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "native (runtime, I/O, not JS)";
  if (url.includes("/gateway/")) return "gateway code";
  if (url.includes("/bench/")) return "bench harness (publisher)";
  if (url.includes("hono")) return "hono";
  if (url.includes("rabbitmq-client")) return "rabbitmq-client";
  if (url.includes("zod")) return "zod";
  if (url.includes("jose")) return "jose";
  // The sampling profiler's own session shows up as inspector calls: not the server's work.
  if (url.startsWith("ext:deno_node/inspector")) return "the profiler itself";
  if (url.startsWith("ext:deno_node") || url.startsWith("node:")) {
    return "Deno's Node compatibility (streams, buffers, timers of npm code)";
  }
  if (url.startsWith("ext:") || url.startsWith("node:") || url === "") {
    return "Deno runtime (JS side: WebSocket, timers, ops)";
  }
  return "other";
}

function label(frame: CallFrame): { fn: string; where: string } {
  const url = frame.url;
  const short = url.includes("/work/")
    ? url.slice(url.indexOf("/", url.indexOf("/work/") + 6) + 1)
    : url.replace(/^.*node_modules\/\.deno\//, "");
  return {
    fn: frame.functionName || "(anonymous)",
    where: url === "" ? "" : `${short}:${frame.lineNumber + 1}`,
  };
}

export function summariseCpuProfile(profile: CpuProfile, top = 15): CpuSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Time per sample: the delta to the next sample.
  const self = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  }
  const areas: Record<string, number> = {};
  const selfByFn = new Map<string, { fn: string; where: string; self: number; total: number }>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const a = area(node.callFrame);
    areas[a] = (areas[a] ?? 0) + t;
    const l = label(node.callFrame);
    const key = `${l.fn}@${l.where}`;
    const entry = selfByFn.get(key) ?? { ...l, self: 0, total: 0 };
    entry.self += t;
    selfByFn.set(key, entry);
    // Inclusive time: once per distinct function on the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (frame === undefined) break;
      const fl = label(frame);
      const k = `${fl.fn}@${fl.where}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const pct = (t: number) => (total > 0 ? round((t / total) * 100, 1) : 0);
  const topSelf = [...selfByFn.entries()]
    .filter(([, e]) => e.fn !== "(idle)")
    .sort((a, b) => b[1].self - a[1].self)
    .slice(0, top)
    .map(([k, e]) => ({
      fn: e.fn,
      where: e.where,
      selfPct: pct(e.self),
      totalPct: pct(inclusive.get(k) ?? 0),
    }));
  const topGateway = [...inclusive.entries()]
    .filter(([k]) => k.includes("@gateway/"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, t]) => {
      const [fn, where] = k.split("@") as [string, string];
      return { fn, where, selfPct: pct(selfByFn.get(k)?.self ?? 0), totalPct: pct(t) };
    });
  return {
    wallMs: Math.round((profile.endTime - profile.startTime) / 1000),
    idlePct: pct(areas[IDLE] ?? 0),
    areas: Object.fromEntries(
      Object.entries(areas).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, pct(v)]),
    ),
    topSelf,
    topGateway,
  };
}

export interface HeapGroup {
  name: string;
  count: number;
  bytes: number;
}

export interface HeapSummary {
  totalBytes: number;
  nodes: number;
  groups: HeapGroup[];
}

interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self sizes of a heap snapshot grouped by constructor (objects) or by kind (the rest). */
export async function summariseHeapSnapshot(path: string): Promise<HeapSummary> {
  const snap = JSON.parse(await Deno.readTextFile(path)) as HeapSnapshotJson;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const fType = fields.indexOf("type");
  const fName = fields.indexOf("name");
  const fSize = fields.indexOf("self_size");
  const groups = new Map<string, HeapGroup>();
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + fType] as number] ?? "?";
    const size = snap.nodes[i + fSize] as number;
    let name: string;
    if (type === "object" || type === "closure" || type === "native") {
      name = `${type === "object" ? "" : type + " "}${
        snap.strings[snap.nodes[i + fName] as number]
      }`;
    } else {
      name = `(${type})`;
    }
    name = name.replace(/ @\d+/g, "").trim();
    if (name.length > 60) name = name.slice(0, 57) + "...";
    const g = groups.get(name) ?? { name, count: 0, bytes: 0 };
    g.count++;
    g.bytes += size;
    groups.set(name, g);
    totalBytes += size;
  }
  return {
    totalBytes,
    nodes: snap.nodes.length / width,
    groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes),
  };
}

/** What grew from `before` to `after`, per connection (`per` connections were added). */
export function heapGrowth(
  before: HeapSummary,
  after: HeapSummary,
  per: number,
  top = 15,
): { bytesPerConnection: number; groups: Array<HeapGroup & { perConnection: number }> } {
  const old = new Map(before.groups.map((g) => [g.name, g]));
  const growth = after.groups.map((g) => {
    const o = old.get(g.name);
    const bytes = g.bytes - (o?.bytes ?? 0);
    const count = g.count - (o?.count ?? 0);
    return { name: g.name, count, bytes, perConnection: round(bytes / per, 1) };
  }).filter((g) => g.bytes > 0).sort((a, b) => b.bytes - a.bytes).slice(0, top);
  return {
    bytesPerConnection: round((after.totalBytes - before.totalBytes) / per, 1),
    groups: growth,
  };
}
