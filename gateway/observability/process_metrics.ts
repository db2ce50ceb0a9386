import client from "prom-client";
import process from "node:process";

/** The gateway's version, in `gateway_build_info` and `/healthz`. */
export const GATEWAY_VERSION = "2.0.0";

/**
 * The process's own metrics under the names Prometheus' conventions give
 * them (`process_*`, as every exporter writes them), plus the runtime's
 * heap and event-loop delay under `deno_*`, and `gateway_build_info`.
 * Read when scraped.
 */
export function registerProcessMetrics(
  registry: client.Registry,
  build: { readonly commit: string },
): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  let lastCpu = 0;
  new client.Counter({
    name: "process_cpu_seconds_total",
    help: "User and system CPU time of the process, in seconds",
    registers: [registry],
    collect() {
      const { user, system } = process.cpuUsage();
      const now = (user + system) / 1e6;
      if (now > lastCpu) this.inc(now - lastCpu);
      lastCpu = now;
    },
  });
  gauge("process_resident_memory_bytes", "Resident set size", () => Deno.memoryUsage().rss);
  const started = Date.now() / 1000 - performance.now() / 1000;
  gauge("process_start_time_seconds", "When the process started, since the epoch", () => started);
  gauge("process_open_fds", "Open file descriptors (sockets included)", openFds);
  gauge("deno_heap_used_bytes", "JavaScript heap in use", () => Deno.memoryUsage().heapUsed);
  gauge("deno_heap_total_bytes", "JavaScript heap reserved", () => Deno.memoryUsage().heapTotal);
  gauge(
    "deno_external_memory_bytes",
    "Memory held outside the heap (buffers)",
    () => Deno.memoryUsage().external,
  );
  const lag = eventLoopDelay();
  gauge("deno_event_loop_delay_seconds", "Recent event-loop delay (timer lateness)", lag);
  new client.Gauge({
    name: "gateway_build_info",
    help: "What is running: gateway version, Deno, V8 and the commit (always 1)",
    labelNames: ["version", "deno", "v8", "commit"],
    registers: [registry],
  }).set({
    version: GATEWAY_VERSION,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    commit: build.commit,
  }, 1);
}

function openFds(): number {
  try {
    let n = 0;
    for (const _ of Deno.readDirSync("/proc/self/fd")) n++;
    return n;
  } catch {
    return -1;
  }
}

/** Samples how late a 100 ms timer fires; the gauge shows the latest sample. */
function eventLoopDelay(): () => number {
  let delay = 0;
  let expected = performance.now() + 100;
  const timer = setInterval(() => {
    const now = performance.now();
    delay = Math.max(0, now - expected) / 1000;
    expected = now + 100;
  }, 100);
  Deno.unrefTimer(timer);
  return () => delay;
}
