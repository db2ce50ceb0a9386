/**
 * Profiling a server under test from the inside, for the runner's "profile"
 * part: V8's CPU profiler (the one `deno run --cpu-prof` uses) started and
 * stopped around the measured window through `node:inspector`, and heap
 * snapshots written with `node:v8`.
 *
 * @module
 */
import { Session } from "node:inspector";
import v8 from "node:v8";

let session: Session | undefined;

function post<T = unknown>(method: string, params: object = {}): Promise<T> {
  session ??= (() => {
    const s = new Session();
    s.connect();
    return s;
  })();
  return new Promise((resolve, reject) =>
    session!.post(method, params, (error: unknown, result: unknown) => {
      if (error) reject(error);
      else resolve(result as T);
    })
  );
}

/** Control commands: `profileStart`, `profileStop`, `heapSnapshot`. */
export const profilerCommands = {
  profileStart: async (args: { intervalUs?: number }) => {
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: args.intervalUs ?? 500 });
    await post("Profiler.start");
    return { started: true };
  },
  profileStop: async (args: { path: string }) => {
    const { profile } = await post<{ profile: { samples: unknown[] } }>("Profiler.stop");
    await Deno.writeTextFile(args.path, JSON.stringify(profile));
    return { path: args.path, samples: profile.samples.length };
  },
  heapSnapshot: async (args: { path: string }) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
    gc?.();
    const path = v8.writeHeapSnapshot(args.path);
    return { path, bytes: (await Deno.stat(path)).size };
  },
};
