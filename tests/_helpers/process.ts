/** A child Deno process of this project (a gateway node or the demo backend). */
export class ChildProcess {
  readonly #child: Deno.ChildProcess;
  readonly #output: Promise<string>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    // Drain both pipes so the child never blocks on a full pipe.
    const decode = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      let text = "";
      for await (const chunk of stream) {
        text = (text + decoder.decode(chunk, { stream: true })).slice(-20_000);
      }
      return text;
    };
    this.#output = Promise.all([decode(child.stdout), decode(child.stderr)]).then(([o, e]) =>
      o + e
    );
  }

  /** Runs `deno run -A <script>` from the project root with `env` added (development unless it says otherwise). */
  static start(script: string, env: Record<string, string>): ChildProcess {
    const root = new URL("../../", import.meta.url);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script],
      cwd: root,
      env: { GATEWAY_ENV: "development", ...env },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return new ChildProcess(child);
  }

  /** How the process ended (resolves once it has). */
  get status(): Promise<Deno.CommandStatus> {
    return this.#child.status;
  }

  /** The process id (to read its memory from `/proc`). */
  get pid(): number {
    return this.#child.pid;
  }

  /** Its resident set size now, in bytes, from `/proc/<pid>/status`. */
  rss(): number {
    const status = Deno.readTextFileSync(`/proc/${this.#child.pid}/status`);
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    if (kb === undefined) throw new Error("no VmRSS");
    return Number(kb) * 1024;
  }

  /** Stops the process with `signal` and waits; resolves its (tail of) output. */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<string> {
    try {
      this.#child.kill(signal);
    } catch { /* already gone */ }
    await this.#child.status;
    return await this.#output;
  }
}

/** Waits until `url` answers 200. */
export async function waitForReady(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.status === 200) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

/** Reads one metric value (the sum over its series) from a node's /metrics. */
export async function metric(base: URL, name: string): Promise<number> {
  const text = await (await fetch(new URL("/metrics", base))).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}
