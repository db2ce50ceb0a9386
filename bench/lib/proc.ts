/**
 * What the runner reads from /proc: CPU time and memory of the processes
 * under test, and how busy the whole machine is (to tell how much of it
 * other work took: the noise of the measurement).
 *
 * @module
 */

const CLK_TCK = 100;

function read(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of a process (all its threads); NaN when gone. */
export function cpuSeconds(pid: number): number {
  const text = read(`/proc/${pid}/stat`);
  if (text === undefined) return NaN;
  // Fields after the command name (which may contain spaces) start after ") ".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident memory now and its peak (VmHWM), in bytes; NaN when gone. */
export function memory(pid: number): { rss: number; hwm: number } {
  const text = read(`/proc/${pid}/status`);
  if (text === undefined) return { rss: NaN, hwm: NaN };
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text);
    return m === null ? NaN : Number(m[1]) * 1024;
  };
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** Resets a process's peak RSS (VmHWM) to its current RSS; false when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

export interface MachineTicks {
  busy: number;
  total: number;
  steal: number;
}

/** Aggregate CPU ticks of the machine from /proc/stat. */
export function machineTicks(): MachineTicks {
  const line = (read("/proc/stat") ?? "").split("\n")[0] ?? "";
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait, steal };
}

/** The pid of the RabbitMQ broker (beam.smp), when one runs here. */
export function brokerPid(): number | undefined {
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    if (read(`/proc/${entry.name}/comm`)?.trim() === "beam.smp") return Number(entry.name);
  }
  return undefined;
}

export const CPUS = navigator.hardwareConcurrency;

export interface ProcessUsage {
  /** Cores used on average (CPU seconds / wall seconds). */
  cores: number;
  /** Highest resident memory seen, in bytes. */
  peakRss: number;
  /** Resident memory at the end, in bytes. */
  rss: number;
}

export interface Usage {
  wallMs: number;
  processes: Record<string, ProcessUsage>;
  /** Cores busy on the whole machine. */
  machineCores: number;
  /** Cores busy outside the processes measured here: other people's work. */
  otherCores: number;
  /** Share of CPU time stolen by the hypervisor, in percent. */
  stealPct: number;
}

/**
 * Measures CPU and peak memory of named processes over an interval: CPU
 * from /proc/<pid>/stat, peak RSS from VmHWM (reset at the start) and from
 * polling VmRSS every 200 ms, whichever is higher.
 */
export class Sampler {
  readonly #pids: Record<string, number>;
  #cpu0: Record<string, number> = {};
  #peak: Record<string, number> = {};
  #machine0: MachineTicks = { busy: 0, total: 0, steal: 0 };
  #t0 = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(pids: Record<string, number | undefined>) {
    this.#pids = Object.fromEntries(
      Object.entries(pids).filter((e): e is [string, number] => e[1] !== undefined),
    );
  }

  start(): void {
    this.#t0 = performance.now();
    this.#machine0 = machineTicks();
    for (const [name, pid] of Object.entries(this.#pids)) {
      this.#cpu0[name] = cpuSeconds(pid);
      resetPeak(pid);
      this.#peak[name] = memory(pid).rss;
    }
    this.#timer = setInterval(() => this.#poll(), 200);
  }

  #poll(): void {
    for (const [name, pid] of Object.entries(this.#pids)) {
      const { rss } = memory(pid);
      if (rss > (this.#peak[name] ?? 0)) this.#peak[name] = rss;
    }
  }

  stop(): Usage {
    clearInterval(this.#timer);
    this.#poll();
    const wallMs = performance.now() - this.#t0;
    const machine = machineTicks();
    const processes: Record<string, ProcessUsage> = {};
    let ours = 0;
    for (const [name, pid] of Object.entries(this.#pids)) {
      const cores = (cpuSeconds(pid) - (this.#cpu0[name] ?? 0)) / (wallMs / 1000);
      const m = memory(pid);
      processes[name] = {
        cores: round(cores, 3),
        peakRss: Math.max(this.#peak[name] ?? 0, Number.isNaN(m.hwm) ? 0 : m.hwm),
        rss: m.rss,
      };
      if (Number.isFinite(cores)) ours += cores;
    }
    const dTotal = machine.total - this.#machine0.total;
    const machineCores = dTotal > 0 ? ((machine.busy - this.#machine0.busy) / dTotal) * CPUS : 0;
    return {
      wallMs: Math.round(wallMs),
      processes,
      machineCores: round(machineCores, 3),
      otherCores: round(Math.max(0, machineCores - ours), 3),
      stealPct: dTotal > 0 ? round(((machine.steal - this.#machine0.steal) / dTotal) * 100, 2) : 0,
    };
  }
}

export function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Waits until a process (the broker) uses under `cores` over a window of
 * `windowMs`, at most `timeoutMs`: RabbitMQ deletes a closed node's queue
 * and its thousands of bindings after the connection is gone, and that work
 * must not fall into the next measurement. Returns the last window's cores.
 */
export async function waitForCalm(
  pid: number | undefined,
  options: { cores?: number; windowMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  if (pid === undefined) return 0;
  const limit = options.cores ?? 0.1;
  const windowMs = options.windowMs ?? 500;
  const deadline = performance.now() + (options.timeoutMs ?? 15_000);
  let used = NaN;
  while (performance.now() < deadline) {
    const before = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, windowMs));
    used = (cpuSeconds(pid) - before) / (windowMs / 1000);
    if (!(used >= limit)) break;
  }
  return round(used, 3);
}
