/**
 * System under test 1, the bare baseline: `Deno.serve` + `Deno.upgradeWebSocket`,
 * no auth, routing or validation. `GET /ws?guild=<id>` joins that guild's
 * set; events are broadcast as pre-serialised `log_other` frames, one event
 * per frame (or, with `--batch-ms=N`, batched per guild like the gateway's
 * relay: the bare cost of the same batching). The only rule besides sending:
 * a socket with more than 8 MiB unsent (the gateway's `SEND_HARD_BYTES`) has
 * frames dropped instead of buffered without bound. Any inbound frame is
 * answered with one pre-serialised frame (for the connect storm).
 *
 * Controlled by the runner over stdin/stdout (see `../lib/control.ts`).
 *
 * @module
 */
import { setImmediate } from "node:timers";
import { serveControl } from "../lib/control.ts";
import { type LoadPlan, runOpenLoop } from "../shared/pacer.mjs";
import {
  eventJson,
  IdSource,
  logFrame,
  nowMs,
  roundMicros,
  SEQ_STEP,
} from "../shared/log_events.mjs";
import { gcAndMeasure } from "./_memory.ts";
import { profilerCommands } from "./_profiler.ts";
import { SendProbe } from "./_probe.ts";

const HARD_BYTES = 8 * 1024 * 1024;
const batchArg = Deno.args.find((a) => a.startsWith("--batch-ms="));
const batchMs = batchArg === undefined ? -1 : Number(batchArg.slice("--batch-ms=".length));
const PONG = '{"_event":"session_return","seq":1,"version":1,"elevated":false}';

const rooms = new Map<string, Set<WebSocket>>();
const sockets = new Set<WebSocket>();
const counters = { framesOut: 0, dropped: 0, opened: 0, closed: 0 };
const probe = new SendProbe();
let probed = new Set<WebSocket>();

function broadcast(guildId: string, frame: string): void {
  const room = rooms.get(guildId);
  if (room === undefined) return;
  for (const socket of room) {
    if (socket.bufferedAmount > HARD_BYTES) {
      counters.dropped++;
      continue;
    }
    if (probed.has(socket)) probe.frame(frame);
    try {
      socket.send(frame);
      counters.framesOut++;
    } catch {
      counters.dropped++;
    }
  }
}

// Batching, the same scheduling as the gateway's relay: an idle guild's first
// event is flushed on a zero timer, later ones wait out the window after a flush.
interface Pending {
  events: string[];
  timer: ReturnType<typeof setTimeout> | undefined;
  lastFlush: number;
}
const pending = new Map<string, Pending>();

function enqueue(guildId: string, events: string[]): void {
  let p = pending.get(guildId);
  if (p === undefined) pending.set(guildId, p = { events: [], timer: undefined, lastFlush: 0 });
  for (const e of events) p.events.push(e);
  schedule(guildId, p);
}

function schedule(guildId: string, p: Pending): void {
  if (p.timer !== undefined || p.events.length === 0) return;
  const wait = Math.max(0, p.lastFlush + batchMs - Date.now());
  p.timer = setTimeout(() => {
    p.timer = undefined;
    p.lastFlush = Date.now();
    const events = p.events;
    p.events = [];
    broadcast(guildId, logFrame(guildId, events));
    schedule(guildId, p);
  }, wait);
}

const listening = Promise.withResolvers<Deno.NetAddr>();
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
}, (req) => {
  const url = new URL(req.url);
  if (url.pathname !== "/ws") return new Response("not found", { status: 404 });
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("websocket only", { status: 426 });
  }
  const guild = url.searchParams.get("guild");
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.onopen = () => {
    counters.opened++;
    sockets.add(socket);
    if (guild !== null) {
      let room = rooms.get(guild);
      if (room === undefined) rooms.set(guild, room = new Set());
      room.add(socket);
    }
  };
  socket.onmessage = () => socket.send(PONG);
  socket.onclose = () => {
    counters.closed++;
    sockets.delete(socket);
    if (guild !== null) {
      const room = rooms.get(guild);
      room?.delete(socket);
      if (room?.size === 0) rooms.delete(guild);
    }
  };
  socket.onerror = () => {};
  return response;
});
const addr = await listening.promise;

const immediate = () => new Promise<void>((r) => setImmediate(r));
const ids = new IdSource();

await serveControl({ url: `ws://127.0.0.1:${addr.port}/ws`, batchMs }, {
  publish: async (plan: LoadPlan) => {
    const before = { ...counters };
    const result = await runOpenLoop<string>(plan, (_gi, guildId, batch) => {
      if (batchMs >= 0) enqueue(guildId, batch);
      else for (const e of batch) broadcast(guildId, logFrame(guildId, [e]));
    });
    return {
      ...result,
      framesOut: counters.framesOut - before.framesOut,
      dropped: counters.dropped - before.dropped,
    };
  },
  /**
   * Closed loop to a single spectator, one event per frame: send one, yield
   * one macrotask, repeat while the socket has less than `limitBytes` unsent.
   */
  unbatched: async (
    args: { step: number; startAt: number; durationMs: number; limitBytes: number },
  ) => {
    const [guildId, room] = [...rooms.entries()][0] ?? [];
    if (guildId === undefined || room === undefined) throw new Error("no spectator");
    const socket = [...room][0] as WebSocket;
    await new Promise((r) => setTimeout(r, Math.max(0, args.startAt - nowMs())));
    const end = args.startAt + args.durationMs;
    let n = 0;
    let waits = 0;
    while (nowMs() < end) {
      if (socket.bufferedAmount > args.limitBytes) {
        waits++;
        await immediate();
        continue;
      }
      const at = roundMicros(nowMs());
      const event = eventJson(args.step * SEQ_STEP + n, at, at, ids.next(), guildId);
      broadcast(guildId, logFrame(guildId, [event]));
      n++;
      await immediate();
    }
    return { published: [n], total: n, waits };
  },
  probeArm: (args: { t0: number; warmMs: number; measureMs: number; every: number }) => {
    probe.arm(args);
    probed = new Set([...sockets].filter((_, i) => i % args.every === 0));
    return { probed: probed.size };
  },
  probeSnapshot: () => probe.snapshot(),
  memory: () => gcAndMeasure(),
  ...profilerCommands,
  stats: () => ({ sockets: sockets.size, rooms: rooms.size, ...counters }),
});
