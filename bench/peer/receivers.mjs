/**
 * The official-client receiver for Socket.IO (a Node process of its own),
 * kept for one labelled row (`socketio-client`): the same roles as
 * `../clients/receivers.ts` with `socket.io-client` (WebSocket transport,
 * one Manager per connection, no reconnection): spectators that count what
 * they receive (`../shared/recorder.mjs`, every event's latency), idle
 * connections, and the connect storm (connect, then one `session` emit
 * answered by an ack). Every other row receives Socket.IO with the lean
 * receiver, which parses the packets by hand, so each system pays the same
 * receiving cost.
 *
 * Controlled by the runner over stdin/stdout (see `control.mjs`).
 *
 * @module
 */
import { createRequire } from "node:module";
import { serveControl } from "./control.mjs";
import { Recorder } from "../shared/recorder.mjs";
import { Histogram } from "../shared/histogram.mjs";
import { nowMs } from "../shared/log_events.mjs";

// Loaded through `require` so that `deno check bench/` (which cannot resolve this
// folder's npm packages) has no static import to follow.
const { io } = createRequire(import.meta.url)("socket.io-client");

const recorder = new Recorder();
const open = new Set();
const disconnects = new Map();

/** @param {string} url */
function connect(url) {
  return io(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    timeout: 20000,
  });
}

/** Runs `count` tasks with at most `limit` in flight. */
async function pool(count, limit, task) {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const errors = [];
  const worker = async () => {
    while (next < count) {
      const i = next++;
      try {
        await task(i);
        ok++;
      } catch (error) {
        failed++;
        if (errors.length < 5) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return { ok, failed, errors };
}

function openOne(args, i) {
  const guild = args.guilds[i % args.guilds.length];
  const conn = Recorder.conn();
  return new Promise((resolve, reject) => {
    const socket = connect(args.url);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("open timed out"));
    }, args.timeoutMs ?? 20000);
    socket.on("connect_error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on("disconnect", (reason) => {
      open.delete(socket);
      disconnects.set(reason, (disconnects.get(reason) ?? 0) + 1);
    });
    socket.on("log_other", (msg) => {
      const now = nowMs();
      const events = msg.events;
      const first = events[0].bench_seq;
      const last = events[events.length - 1].bench_seq;
      if (recorder.frame(conn, first, last, now, events.length)) {
        for (const e of events) recorder.latency(e.bench_sent, e.bench_due, now);
      }
    });
    socket.on("connect", () => {
      open.add(socket);
      socket.emit("spectate", { guild_id: guild, include_logs: true }, () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  });
}

async function closeAll() {
  const n = open.size;
  for (const socket of open) socket.close();
  open.clear();
  await new Promise((r) => setTimeout(r, 500));
  return { closed: n };
}

async function storm(args) {
  const hist = new Histogram();
  const t0 = performance.now();
  const sockets = [];
  const result = await pool(args.count, args.concurrency ?? 500, () => {
    const start = performance.now();
    return new Promise((resolve, reject) => {
      const socket = connect(args.url);
      sockets.push(socket);
      const timer = setTimeout(
        () => reject(new Error("storm connection timed out")),
        30000,
      );
      socket.on("connect_error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.on("connect", () => {
        socket.emit("session", {}, () => {
          clearTimeout(timer);
          hist.add(performance.now() - start);
          resolve(undefined);
        });
      });
    });
  });
  const totalMs = performance.now() - t0;
  for (const socket of sockets) socket.close();
  await new Promise((r) => setTimeout(r, 1000));
  return {
    ...result,
    notElevated: 0,
    totalMs: Math.round(totalMs),
    perSecond: Math.round(result.ok / (totalMs / 1000)),
    latency: hist.toJSON(),
  };
}

serveControl({}, {
  open: async (args) => {
    const t0 = performance.now();
    const result = await pool(
      args.count,
      args.concurrency ?? 200,
      (i) => openOne(args, i),
    );
    return {
      ...result,
      ms: Math.round(performance.now() - t0),
      open: open.size,
    };
  },
  arm: (plan) => {
    recorder.arm(plan);
    return { armed: plan.step };
  },
  snapshot: () => ({
    ...recorder.snapshot(),
    open: open.size,
    closeCodes: Object.fromEntries(disconnects),
  }),
  closeAll: () => closeAll(),
  storm: (args) => storm(args),
});
