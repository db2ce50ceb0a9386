/**
 * The request/response load generator (a process of its own): `concurrency`
 * elevated connections, each with one pool request in flight at a time
 * (closed loop) for a bounded time: `pool_request member` by ids, or
 * `pool_all_request member` (the whole 10,000-member pool, streamed in
 * chunks). A request's latency runs from sending it to its terminal
 * `pool_response` (`finished: true`), found from the frame's head without
 * parsing the data.
 *
 * Controlled by the runner over stdin/stdout (see `../lib/control.ts`).
 *
 * @module
 */
import { serveControl } from "../lib/control.ts";
import { Histogram } from "../shared/histogram.mjs";

interface Target {
  url: string;
  cookie: string;
  guildId: string;
}

let memberIds: string[] = [];

class Conn {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  #waiting: { seq: number; head: string; resolve: (ok: boolean) => void } | undefined;
  bytes = 0;
  /** The last refusal or failed answer, for the error message. */
  lastError: string | undefined;
  frames: string[] | undefined;

  constructor(target: Target) {
    this.ws = new WebSocket(
      target.url,
      { headers: { cookie: target.cookie } } as unknown as string[],
    );
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.opened = promise;
    this.ws.onopen = () => resolve();
    this.ws.onerror = () => reject(new Error("socket error"));
    this.ws.onclose = (e) => {
      reject(new Error(`closed (${e.code})`));
      this.#waiting?.resolve(false);
    };
    this.ws.onmessage = (e) => this.#onFrame(e.data as string);
  }

  #onFrame(text: string): void {
    this.bytes += text.length;
    this.frames?.push(text);
    const w = this.#waiting;
    if (w === undefined) return;
    if (text.startsWith(w.head)) {
      const finished = text.startsWith("true", w.head.length);
      if (!finished) return;
      // A failed pool request ends with a short finished chunk carrying `error`.
      const ok = text.length > 4096 || JSON.parse(text).error === undefined;
      if (!ok) this.lastError = text.slice(0, 300);
      this.#waiting = undefined;
      w.resolve(ok);
    } else if (text.startsWith('{"_event":"error"') && text.includes(`"seq":${w.seq}`)) {
      this.lastError = text.slice(0, 300);
      this.#waiting = undefined;
      w.resolve(false);
    }
  }

  /** Sends a request and resolves whether it ended well. */
  request(seq: number, frame: Record<string, unknown>): Promise<boolean> {
    const { promise, resolve } = Promise.withResolvers<boolean>();
    this.#waiting = { seq, head: `{"_event":"pool_response","seq":${seq},"finished":`, resolve };
    this.ws.send(JSON.stringify({ ...frame, _seq: seq }));
    return promise;
  }

  close(): void {
    try {
      this.ws.close(1000);
    } catch { /* closed */ }
  }
}

/** Reads the big guild's member ids once (the requests by id pick from them). */
async function prepare(target: Target): Promise<{ members: number }> {
  const conn = new Conn(target);
  await conn.opened;
  conn.frames = [];
  const ok = await conn.request(1, {
    _event: "pool_all_request",
    type: "member",
    guild_id: target.guildId,
  });
  if (!ok) throw new Error(`pool_all_request failed: ${conn.lastError ?? "the socket closed"}`);
  memberIds = [];
  for (const text of conn.frames) {
    const frame = JSON.parse(text) as { _event: string; data?: Array<{ id: string }> };
    if (frame._event === "pool_response") {
      for (const m of frame.data ?? []) memberIds.push(m.id);
    }
  }
  conn.close();
  return { members: memberIds.length };
}

interface RunArgs extends Target {
  kind: "ids" | "all";
  concurrency: number;
  idsPerRequest: number;
  warmMs: number;
  durationMs: number;
}

async function run(args: RunArgs) {
  if (args.kind === "ids" && memberIds.length === 0) await prepare(args);
  const conns = Array.from({ length: args.concurrency }, () => new Conn(args));
  await Promise.all(conns.map((c) => c.opened));
  const hist = new Histogram();
  let requests = 0;
  let errors = 0;
  let rngState = 12345;
  const random = () => {
    rngState = (rngState * 1103515245 + 12345) & 0x7fffffff;
    return rngState / 0x7fffffff;
  };
  const pick = () => {
    const out: string[] = [];
    for (let i = 0; i < args.idsPerRequest; i++) {
      out.push(memberIds[Math.floor(random() * memberIds.length)] as string);
    }
    return out;
  };
  const t0 = performance.now();
  const measureFrom = t0 + args.warmMs;
  const end = measureFrom + args.durationMs;
  const bytesNow = () => conns.reduce((n, c) => n + c.bytes, 0);
  let bytes0 = 0;
  let bytes1 = 0;
  const marks = [
    setTimeout(() => bytes0 = bytesNow(), args.warmMs),
    setTimeout(() => bytes1 = bytesNow(), args.warmMs + args.durationMs),
  ];
  const worker = async (conn: Conn) => {
    let seq = 1;
    while (performance.now() < end) {
      const frame = args.kind === "ids"
        ? { _event: "pool_request", type: "member", guild_id: args.guildId, ids: pick() }
        : { _event: "pool_all_request", type: "member", guild_id: args.guildId };
      const start = performance.now();
      const ok = await Promise.race([
        conn.request(++seq, frame),
        new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
      ]);
      const done = performance.now();
      // Requests that end inside the window count (latency and throughput).
      if (done < measureFrom || done > end) continue;
      if (ok) {
        requests++;
        hist.add(done - start);
      } else {
        errors++;
      }
    }
  };
  await Promise.all(conns.map(worker));
  const seconds = args.durationMs / 1000;
  for (const m of marks) clearTimeout(m);
  if (bytes1 === 0) bytes1 = bytesNow();
  for (const c of conns) c.close();
  return {
    requests,
    errors,
    perSecond: Math.round(requests / seconds),
    mbPerSecond: Math.round(((bytes1 - bytes0) / seconds / 1e6) * 10) / 10,
    latency: hist.toJSON(),
  };
}

await serveControl({}, {
  prepare: (args: Target) => prepare(args),
  run: (args: RunArgs) => run(args),
});
