/**
 * System under test 4, the peer: a Socket.IO 4 server on Node, WebSocket
 * transport only, spectators joined to a room per guild, each log event
 * broadcast with `io.to(room).emit("log_other", {guild_id, events: [event]})`
 * (Socket.IO's idiom: one emit per event; the packet is encoded once per
 * broadcast). The events are the same as every other system's
 * (`../shared/log_events.mjs`), published by the same open-loop pacer in this
 * process. `session` is answered through an ack (for the connect storm).
 *
 * Controlled by the runner over stdin/stdout (see `control.mjs`).
 *
 * @module
 */
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { gcAndMeasure, serveControl } from "./control.mjs";
import { runOpenLoop } from "../shared/pacer.mjs";
import { eventObject, IdSource, nowMs, roundMicros, SEQ_STEP } from "../shared/log_events.mjs";

// Loaded through `require` so that `deno check bench/` (which cannot resolve this
// folder's npm packages) has no static import to follow.
const { Server } = createRequire(import.meta.url)("socket.io");

const http = createServer();
const io = new Server(http, { transports: ["websocket"], serveClient: false });
let opened = 0;

io.on("connection", (socket) => {
  opened++;
  socket.on("spectate", (msg, ack) => {
    for (const room of socket.rooms) if (room !== socket.id) socket.leave(room);
    socket.join(`guild:${msg?.guild_id}`);
    if (typeof ack === "function") ack({ ok: true });
  });
  socket.on("session", (_msg, ack) => {
    if (typeof ack === "function") ack({ elevated: false });
  });
});

await new Promise((resolve) => http.listen(0, "127.0.0.1", () => resolve(undefined)));
const address = http.address();
const port = typeof address === "object" && address !== null ? address.port : 0;
const ids = new IdSource();
const immediate = () => new Promise((r) => setImmediate(r));

/** Bytes not yet written to the socket of one Socket.IO connection. */
function unsent(socket) {
  const engine = socket.conn;
  const ws = engine?.transport?.socket;
  return (ws?.bufferedAmount ?? 0) + (engine?.writeBuffer?.length ?? 0) * 300;
}

serveControl({ url: `http://127.0.0.1:${port}`, socketIo: "4" }, {
  publish: (plan) =>
    runOpenLoop(plan, (_gi, guildId, batch) => {
      const room = io.to(`guild:${guildId}`);
      for (const event of batch) {
        room.emit("log_other", { guild_id: guildId, events: [event] });
      }
    }, { objects: true }),
  /** Closed loop to a single spectator, one event per frame (see the Deno servers). */
  unbatched: async (args) => {
    const socket = [...io.sockets.sockets.values()][0];
    if (socket === undefined) throw new Error("no spectator");
    const room = [...socket.rooms].find((r) => r !== socket.id);
    const guildId = room?.slice("guild:".length) ?? "0";
    await new Promise((r) => setTimeout(r, Math.max(0, args.startAt - nowMs())));
    const end = args.startAt + args.durationMs;
    let n = 0;
    let waits = 0;
    while (nowMs() < end) {
      if (unsent(socket) > args.limitBytes) {
        waits++;
        await immediate();
        continue;
      }
      const at = roundMicros(nowMs());
      const event = eventObject(args.step * SEQ_STEP + n, at, at, ids.next(), guildId);
      io.to(room).emit("log_other", { guild_id: guildId, events: [event] });
      n++;
      await immediate();
    }
    return { published: [n], total: n, waits };
  },
  memory: () => gcAndMeasure(),
  stats: () => ({ sockets: io.engine.clientsCount, opened }),
}, () => new Promise((resolve) => io.close(() => resolve(undefined))));
