/**
 * The runner's side of a child process (server, publisher or load
 * generator): spawns it with piped stdio, waits for its ready line, sends
 * commands and awaits their answers (see `control.ts`), keeps the tail of
 * its stderr, and stops it (asking first, then by signal to its own pid).
 *
 * @module
 */
import { CONTROL_PREFIX } from "./control.ts";

export const BENCH_ROOT = new URL("../", import.meta.url);
export const PROJECT_ROOT = new URL("../../", import.meta.url);

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface SpawnOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: URL | string;
  readonly readyTimeoutMs?: number;
  /** A process without the control channel (`stop` signals it; no `call`). */
  readonly plain?: boolean;
}

/** Variables children inherit; everything else they get is explicit. */
const INHERITED = [
  "PATH",
  "HOME",
  "DENO_DIR",
  "DENO_NO_UPDATE_CHECK",
  "TMPDIR",
  "LANG",
  "NO_COLOR",
  "XDG_CACHE_HOME",
  "npm_config_cache",
  "npm_config_registry",
];

/** A child's environment: the inherited basics plus `env`. */
export function childEnv(env: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = Deno.env.get(key);
    if (value !== undefined) out[key] = value;
  }
  return { ...out, ...env };
}

export class Child {
  readonly name: string;
  readonly #process: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #tail = "";
  #exited = false;
  #plain = false;
  readonly status: Promise<Deno.CommandStatus>;
  info: Record<string, unknown> = {};

  private constructor(name: string, process: Deno.ChildProcess) {
    this.name = name;
    this.#process = process;
    this.#writer = process.stdin.getWriter();
    this.status = process.status.then((s) => {
      this.#exited = true;
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${name} exited (${s.code}): ${this.tail(600)}`));
      }
      this.#pending.clear();
      return s;
    });
  }

  get pid(): number {
    return this.#process.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** The last `chars` characters the child wrote to stderr (and stray stdout). */
  tail(chars = 2000): string {
    return this.#tail.slice(-chars);
  }

  static async spawn(options: SpawnOptions): Promise<Child> {
    const process = new Deno.Command(options.command, {
      args: [...options.args],
      cwd: options.cwd ?? PROJECT_ROOT,
      env: childEnv(options.env),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const child = new Child(options.name, process);
    child.#plain = options.plain ?? false;
    if (child.#plain) {
      child.#read(process.stdout);
      child.#read(process.stderr);
      return child;
    }
    const ready = Promise.withResolvers<void>();
    child.#read(process.stdout, (msg) => {
      if ((msg as { ready?: boolean }).ready) {
        child.info = (msg as { info: Record<string, unknown> }).info;
        ready.resolve();
      }
    });
    child.#read(process.stderr);
    const timer = setTimeout(
      () => ready.reject(new Error(`${options.name} not ready: ${child.tail(1500)}`)),
      options.readyTimeoutMs ?? 60_000,
    );
    child.status.then(() =>
      ready.reject(new Error(`${options.name} exited before ready: ${child.tail(1500)}`))
    );
    try {
      await ready.promise;
    } catch (error) {
      await child.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return child;
  }

  async #read(stream: ReadableStream<Uint8Array>, onControl?: (msg: unknown) => void) {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of stream) {
        buffer += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (onControl !== undefined && line.startsWith(CONTROL_PREFIX)) {
            const msg = JSON.parse(line.slice(CONTROL_PREFIX.length));
            if (typeof msg.id === "number") this.#answer(msg);
            else onControl(msg);
          } else {
            this.#tail = (this.#tail + line + "\n").slice(-20_000);
          }
        }
      }
    } catch {
      // The pipe closed with the process.
    }
  }

  #answer(msg: { id: number; ok: boolean; result?: unknown; error?: string }): void {
    const pending = this.#pending.get(msg.id);
    if (pending === undefined) return;
    this.#pending.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.ok) pending.resolve(msg.result);
    else pending.reject(new Error(`${this.name}: ${msg.error}`));
  }

  /** Sends a command and resolves its answer. */
  call<T = unknown>(cmd: string, args: unknown = {}, timeoutMs = 120_000): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.#nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    const line = new TextEncoder().encode(JSON.stringify({ id, cmd, args }) + "\n");
    this.#writer.write(line).catch(() => {});
    return answer;
  }

  /** Asks the child to exit, then signals it; resolves when it is gone. */
  async stop(graceMs = 8000): Promise<void> {
    if (this.#exited) return;
    if (this.#plain) {
      try {
        this.#process.kill("SIGTERM");
      } catch { /* gone */ }
    } else {
      this.call("exit", {}, graceMs).catch(() => {});
    }
    const gone = await Promise.race([
      this.status.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs)),
    ]);
    if (!gone) await this.kill();
    await this.#writer.close().catch(() => {});
  }

  /** Ends the child by its pid: SIGTERM, then SIGKILL. */
  async kill(): Promise<void> {
    if (this.#exited) return;
    try {
      this.#process.kill("SIGTERM");
    } catch { /* gone */ }
    const gone = await Promise.race([
      this.status.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 3000)),
    ]);
    if (!gone) {
      try {
        this.#process.kill("SIGKILL");
      } catch { /* gone */ }
      await this.status;
    }
    await this.#writer.close().catch(() => {});
  }
}

/**
 * Spawns a Deno script with `deno run -A`: one of this project's (relative
 * to its root), or with `cwd` one of another tree (the first-round checkout).
 */
export function spawnDeno(
  name: string,
  script: string,
  options: {
    env?: Record<string, string>;
    denoFlags?: string[];
    args?: string[];
    plain?: boolean;
    /** The working directory, which `script` is relative to (default: the project root). */
    cwd?: URL;
  } = {},
): Promise<Child> {
  return Child.spawn({
    name,
    command: Deno.execPath(),
    args: ["run", "-A", ...(options.denoFlags ?? []), script, ...(options.args ?? [])],
    env: options.env,
    cwd: options.cwd ?? PROJECT_ROOT,
    plain: options.plain,
  });
}

/** Spawns a Node script of the Socket.IO peer. */
export function spawnNode(
  name: string,
  script: string,
  options: { env?: Record<string, string>; nodeFlags?: string[]; args?: string[] } = {},
): Promise<Child> {
  return Child.spawn({
    name,
    command: "node",
    args: [...(options.nodeFlags ?? []), script, ...(options.args ?? [])],
    env: options.env,
    cwd: new URL("peer/", BENCH_ROOT),
  });
}
