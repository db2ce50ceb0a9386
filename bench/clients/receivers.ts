/**
 * The WebSocket load generator for the baseline and the gateway (a process
 * of its own): opens spectators, counts what they receive (see
 * `../shared/recorder.mjs`), holds idle connections, and runs the connect
 * storm. Opening is bounded (`concurrency` handshakes in flight) and every
 * wait has a deadline.
 *
 * - gateway: `GET /gateway` with the `dev-token` cookie (elevated at the
 *   upgrade), then `spectate {guild_id, include_logs: true}` and its answer;
 * - baseline: `GET /ws?guild=<id>`.
 *
 * Controlled by the runner over stdin/stdout (see `../lib/control.ts`).
 *
 * @module
 */
import { serveControl } from "../lib/control.ts";
import { Recorder, scanFrame, type StepPlan } from "../shared/recorder.mjs";
import { Histogram } from "../shared/histogram.mjs";
import { nowMs } from "../shared/log_events.mjs";

type Mode = "gateway" | "baseline";

interface OpenArgs {
  url: string;
  count: number;
  guilds: string[];
  mode: Mode;
  cookie?: string;
  /** Every n-th connection records every event's latency (0: none). */
  sampleEvery?: number;
  concurrency?: number;
  timeoutMs?: number;
}

const recorder = new Recorder();
const open = new Set<WebSocket>();
const closeCodes = new Map<number, number>();

function connect(
  url: string,
  mode: Mode,
  cookie: string | undefined,
  guild: string | null,
): WebSocket {
  const target = mode === "baseline" && guild !== null ? `${url}?guild=${guild}` : url;
  const headers: Record<string, string> = {};
  if (mode === "gateway" && cookie !== undefined) headers.cookie = cookie;
  // Deno's WebSocket takes request headers in its options (not in the DOM typings).
  return new WebSocket(target, { headers } as unknown as string[]);
}

/** Opens one connection and, for the gateway, spectates; resolves when ready. */
function openOne(
  args: OpenArgs,
  index: number,
  onReady: (ws: WebSocket) => void,
): Promise<void> {
  const guild = args.guilds[index % args.guilds.length] ?? null;
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  const ws = connect(args.url, args.mode, args.cookie, guild);
  const timer = setTimeout(() => {
    reject(new Error("open timed out"));
    try {
      ws.close();
    } catch { /* closed */ }
  }, args.timeoutMs ?? 20_000);
  ws.onerror = () => reject(new Error("socket error before ready"));
  ws.onclose = (e) => {
    open.delete(ws);
    closeCodes.set(e.code, (closeCodes.get(e.code) ?? 0) + 1);
    reject(new Error(`closed before ready (${e.code})`));
  };
  ws.onopen = () => {
    open.add(ws);
    if (args.mode === "baseline") {
      onReady(ws);
      resolve();
      return;
    }
    ws.onmessage = (e) => {
      const text = String(e.data);
      if (!text.startsWith('{"_event":"spectate_return"')) {
        if (text.startsWith('{"_event":"error"')) reject(new Error(`spectate refused: ${text}`));
        return;
      }
      if (!text.includes('"logs":"granted"')) {
        reject(new Error(`logs not granted: ${text}`));
        return;
      }
      onReady(ws);
      resolve();
    };
    ws.send(JSON.stringify({ _event: "spectate", _seq: 1, guild_id: guild, include_logs: true }));
  };
  return promise.finally(() => clearTimeout(timer));
}

/** Runs `count` tasks with at most `limit` in flight. */
async function pool(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
): Promise<{ ok: number; failed: number; errors: string[] }> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const errors: string[] = [];
  const worker = async () => {
    while (next < count) {
      const i = next++;
      try {
        await task(i);
        ok++;
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return { ok, failed, errors };
}

async function openAll(args: OpenArgs) {
  const t0 = performance.now();
  const sampleEvery = args.sampleEvery ?? 0;
  const result = await pool(args.count, args.concurrency ?? 200, (i) =>
    openOne(args, i, (ws) => {
      const conn = Recorder.conn(sampleEvery > 0 && i % sampleEvery === 0);
      ws.onmessage = (e) => scanFrame(recorder, conn, e.data as string, nowMs());
      ws.onclose = (e) => {
        open.delete(ws);
        closeCodes.set(e.code, (closeCodes.get(e.code) ?? 0) + 1);
      };
    }));
  return { ...result, ms: Math.round(performance.now() - t0), open: open.size };
}

async function closeAll(timeoutMs = 10_000) {
  const sockets = [...open];
  const closed = Promise.all(sockets.map((ws) =>
    new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.addEventListener("close", () => resolve(), { once: true });
      try {
        ws.close(1000);
      } catch {
        resolve();
      }
    })
  ));
  await Promise.race([closed, new Promise((r) => setTimeout(r, timeoutMs))]);
  open.clear();
  return { closed: sockets.length };
}

/**
 * The connect storm: opens `count` connections (`concurrency` handshakes in
 * flight), and on each sends `session` and waits for the answer that says
 * it is elevated (the gateway) or any answer (the baseline).
 */
async function storm(args: OpenArgs) {
  const hist = new Histogram();
  let notElevated = 0;
  const t0 = performance.now();
  const sockets: WebSocket[] = [];
  const result = await pool(args.count, args.concurrency ?? 500, (i) => {
    const start = performance.now();
    const guild = args.guilds[i % args.guilds.length] ?? null;
    const ws = connect(args.url, args.mode, args.cookie, guild);
    sockets.push(ws);
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const timer = setTimeout(() => reject(new Error("storm connection timed out")), 30_000);
    ws.onerror = () => reject(new Error("socket error"));
    ws.onclose = (e) => reject(new Error(`closed (${e.code})`));
    ws.onopen = () => ws.send('{"_event":"session","_seq":1}');
    ws.onmessage = (e) => {
      const text = String(e.data);
      if (!text.startsWith('{"_event":"session_return"')) return;
      if (args.mode === "gateway" && !text.includes('"elevated":true')) notElevated++;
      hist.add(performance.now() - start);
      resolve();
    };
    return promise.finally(() => clearTimeout(timer));
  });
  const totalMs = performance.now() - t0;
  for (const ws of sockets) open.add(ws);
  await closeAll();
  return {
    ...result,
    notElevated,
    totalMs: Math.round(totalMs),
    perSecond: Math.round(result.ok / (totalMs / 1000)),
    latency: hist.toJSON(),
  };
}

await serveControl({}, {
  open: (args: OpenArgs) => openAll(args),
  arm: (plan: StepPlan) => {
    recorder.arm(plan);
    return { armed: plan.step };
  },
  snapshot: () => ({
    ...recorder.snapshot(),
    open: open.size,
    closeCodes: Object.fromEntries(closeCodes),
  }),
  closeAll: () => closeAll(),
  storm: (args: OpenArgs) => storm(args),
});
