/**
 * The lean receiver, the same for every system under test (a Deno process
 * of its own): opens spectators, counts what they receive and records the
 * latency of every event on every connection (see `../shared/recorder.mjs`),
 * holds idle connections, and runs the connect storm. Each system's framing
 * is spoken by hand, so every system pays the same receiving cost:
 *
 * - gateway: `GET /gateway` with the `dev-token` cookie (elevated at the
 *   upgrade), then `spectate {guild_id, include_logs: true}` and its answer;
 * - baseline: `GET /ws?guild=<id>`;
 * - socketio: Engine.IO 4 over a WebSocket (`/socket.io/?EIO=4&transport=websocket`):
 *   the server's open packet `0{...}` is answered by a namespace connect
 *   `40`, the server's `40{...}` by `421["spectate",{...}]`, whose ack is
 *   `431[...]`; pings `2` are answered `3`; events come as
 *   `42["log_other",{...}]`.
 *
 * Opening is bounded (`concurrency` handshakes in flight) and every wait
 * has a deadline. Controlled by the runner over stdin/stdout (see
 * `../lib/control.ts`).
 *
 * @module
 */
import { serveControl } from "../lib/control.ts";
import { Recorder, scanFrame, type StepPlan } from "../shared/recorder.mjs";
import { Histogram } from "../shared/histogram.mjs";
import { nowMs } from "../shared/log_events.mjs";

type Mode = "gateway" | "baseline" | "socketio";

interface OpenArgs {
  url: string;
  count: number;
  guilds: string[];
  mode: Mode;
  cookie?: string;
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
  let target = url;
  if (mode === "baseline" && guild !== null) target = `${url}?guild=${guild}`;
  if (mode === "socketio") {
    target = `${
      url.replace(/^http/, "ws").replace(/\/$/, "")
    }/socket.io/?EIO=4&transport=websocket`;
  }
  const headers: Record<string, string> = {};
  if (mode === "gateway" && cookie !== undefined) headers.cookie = cookie;
  // Deno's WebSocket takes request headers in its options (not in the DOM typings).
  return new WebSocket(target, { headers } as unknown as string[]);
}

/**
 * The Engine.IO/Socket.IO handshake step for one packet before the
 * connection is ready: answers the open and ping packets, and once the
 * namespace is joined sends `request` as an emit with ack id 1. True when
 * `text` is that ack.
 */
function socketIoStep(ws: WebSocket, text: string, request: string): boolean {
  if (text === "2") ws.send("3");
  else if (text.startsWith("0{")) ws.send("40");
  else if (text.startsWith("40")) ws.send(`421${request}`);
  else if (text.startsWith("431")) return true;
  else if (text.startsWith("44")) throw new Error(`namespace refused: ${text}`);
  return false;
}

/** Opens one connection and, for the gateway and Socket.IO, spectates; resolves when ready. */
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
  const ready = () => {
    onReady(ws);
    resolve();
  };
  ws.onopen = () => {
    open.add(ws);
    if (args.mode === "baseline") return ready();
    if (args.mode === "socketio") {
      const request = JSON.stringify(["spectate", { guild_id: guild, include_logs: true }]);
      ws.onmessage = (e) => {
        try {
          if (socketIoStep(ws, String(e.data), request)) ready();
        } catch (error) {
          reject(error);
        }
      };
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
      ready();
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
  const socketIo = args.mode === "socketio";
  const result = await pool(args.count, args.concurrency ?? 200, (i) =>
    openOne(args, i, (ws) => {
      const conn = Recorder.conn();
      ws.onmessage = (e) => {
        const text = e.data as string;
        // Engine.IO pings must be answered, or the server drops the connection.
        if (socketIo && text === "2") ws.send("3");
        else scanFrame(recorder, conn, text, nowMs());
      };
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
    if (args.mode === "socketio") {
      const request = JSON.stringify(["session", {}]);
      ws.onmessage = (e) => {
        try {
          if (!socketIoStep(ws, String(e.data), request)) return;
        } catch (error) {
          return reject(error);
        }
        hist.add(performance.now() - start);
        resolve();
      };
    } else {
      ws.onopen = () => ws.send('{"_event":"session","_seq":1}');
      ws.onmessage = (e) => {
        const text = String(e.data);
        if (!text.startsWith('{"_event":"session_return"')) return;
        if (args.mode === "gateway" && !text.includes('"elevated":true')) notElevated++;
        hist.add(performance.now() - start);
        resolve();
      };
    }
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
