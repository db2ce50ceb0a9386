/**
 * The machine and software a run measured, and how noisy the machine was:
 * load before the run, CPU taken by other processes during every
 * measurement (`otherCores` in each row), hypervisor steal, and a fixed CPU
 * calibration loop timed before and after.
 *
 * @module
 */
import { CPUS, machineTicks, round } from "./proc.ts";
import { peerVersion } from "./systems.ts";
import { PROJECT_ROOT } from "./child.ts";

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  kernel: string;
  os: string;
  deno: string;
  v8: string;
  typescript: string;
  node: string;
  socketIo: string;
  socketIoClient: string;
  rabbitmq: string;
  erlang: string;
  dependencies: Record<string, string>;
  gitCommit: string;
}

function read(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(out.stdout).trim();
  } catch {
    return "";
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const cpuModel = /model name\s*:\s*(.*)/.exec(read("/proc/cpuinfo"))?.[1] ?? "unknown";
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(read("/proc/meminfo"))?.[1] ?? 0);
  const osName = /PRETTY_NAME="([^"]*)"/.exec(read("/etc/os-release"))?.[1] ?? Deno.build.os;
  const dpkg = await run("dpkg-query", [
    "-W",
    "-f",
    "${Package} ${Version}\\n",
    "rabbitmq-server",
    "erlang-base",
  ]);
  const pkg = (name: string) => new RegExp(`^${name} (.*)$`, "m").exec(dpkg)?.[1] ?? "unknown";
  const denoJson = JSON.parse(read(new URL("deno.json", PROJECT_ROOT).pathname) || "{}") as {
    imports?: Record<string, string>;
  };
  const lock = JSON.parse(read(new URL("deno.lock", PROJECT_ROOT).pathname) || "{}") as {
    npm?: Record<string, unknown>;
  };
  const dependencies: Record<string, string> = {};
  for (const name of ["hono", "jose", "zod", "rabbitmq-client"]) {
    const locked = Object.keys(lock.npm ?? {}).find((k) => k.startsWith(`${name}@`));
    dependencies[name] = locked?.split("_")[0]?.slice(name.length + 1) ??
      denoJson.imports?.[name] ?? "unknown";
  }
  return {
    cpuModel,
    cpus: CPUS,
    memoryGb: round(memKb / 1048576, 1),
    kernel: read("/proc/sys/kernel/osrelease").trim(),
    os: osName,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    node: (await run("node", ["--version"])).replace(/^v/, ""),
    socketIo: peerVersion("socket.io") ?? "not installed",
    socketIoClient: peerVersion("socket.io-client") ?? "not installed",
    rabbitmq: pkg("rabbitmq-server"),
    erlang: pkg("erlang-base"),
    dependencies,
    gitCommit: await run("git", ["-C", PROJECT_ROOT.pathname, "rev-parse", "--short", "HEAD"]),
  };
}

/** A fixed single-threaded workload; its time shows how fast (and how shared) the CPU was. */
export function calibrate(): number {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let x = 0x12345678;
    for (let i = 0; i < 20_000_000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
    times.push(performance.now() - t0 + (x === 0 ? 1 : 0));
  }
  return round(Math.min(...times), 1);
}

/** Cores the whole machine was busy over `ms` while this run was idle. */
export async function backgroundLoad(ms = 2000): Promise<number> {
  const a = machineTicks();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineTicks();
  const total = b.total - a.total;
  return total > 0 ? round(((b.busy - a.busy) / total) * CPUS, 2) : 0;
}

/**
 * Waits (at most `maxMs`) until the machine has been quiet, other work
 * taking under `threshold` cores over two seconds; returns the last reading.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.5): Promise<number> {
  const deadline = Date.now() + maxMs;
  let load = await backgroundLoad(2000);
  while (load > threshold && Date.now() < deadline) load = await backgroundLoad(2000);
  return load;
}

export interface Noise {
  /** Cores busy on the machine before the part, with nothing of ours running. */
  backgroundCoresBefore: number;
  /** Seconds spent waiting for the machine to calm down before the part. */
  waitedSeconds: number;
  loadAverageBefore: number[];
  /** Calibration loop, best of 5, ms (before and after the part). */
  calibrationMsBefore: number;
  calibrationMsAfter: number;
  /** Over every measurement window: cores other processes took (median and max). */
  otherCoresMedian: number;
  otherCoresMax: number;
  stealPctMax: number;
  windows: number;
}

export function loadAverage(): number[] {
  return read("/proc/loadavg").split(" ").slice(0, 3).map(Number);
}

/** Every `otherCores` and `stealPct` found in a part's result. */
export function collectNoise(result: unknown): { other: number[]; steal: number[] } {
  const other: number[] = [];
  const steal: number[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        // Medians repeat the repeats' values; count the raw ones only.
        if (k === "median") continue;
        if (k === "otherCores" && typeof x === "number") other.push(x);
        else if (k === "stealPct" && typeof x === "number") steal.push(x);
        else walk(x);
      }
    }
  };
  walk(result);
  return { other, steal };
}
