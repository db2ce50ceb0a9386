/**
 * Systems under test 2 and 3: one gateway node, built by `startNode` from
 * the environment as `main.ts` builds it, without the pages (so every
 * variable of gateway/config.ts applies). Without `AMQP_URL` it is the embedded mode
 * (in-memory bus, demo backend in this process) and `publish` runs the
 * benchmark's log publisher here, on the node's bus; with `AMQP_URL` the
 * events come from `../publishers/amqp_publisher.ts` through RabbitMQ.
 *
 * `BENCH_EXPERIMENT=immediate-zero-timers` (a bench-only experiment, never
 * the shipped configuration) runs sub-millisecond `setTimeout`s as
 * `setImmediate` (`microtask-zero-timers`: as `queueMicrotask`), to measure
 * the log relay's flush without Deno's ≥ 1 ms timer.
 *
 * Controlled by the runner over stdin/stdout (see `../lib/control.ts`).
 *
 * @module
 */
import { setImmediate } from "node:timers";
import {
  createBus,
  Diagnostics,
  loadConfig,
  type RunningNode,
  startNode,
} from "../../gateway/mod.ts";
import { startDemoService } from "../../demo/mod.ts";
import { guildTopic } from "../../gateway/bus/mod.ts";
import { serveControl } from "../lib/control.ts";
import { type LoadPlan, runOpenLoop } from "../shared/pacer.mjs";
import { eventJson, IdSource, nowMs, roundMicros, SEQ_STEP } from "../shared/log_events.mjs";
import { gcAndMeasure } from "./_memory.ts";
import { profilerCommands } from "./_profiler.ts";
import { installImmediateZeroTimers, installMicrotaskZeroTimers } from "./_zero_timers.ts";
import { SendProbe } from "./_probe.ts";
import type { Connection } from "../../gateway/connection/connection.ts";

const experiment = Deno.env.get("BENCH_EXPERIMENT") ?? "";
if (experiment === "immediate-zero-timers") installImmediateZeroTimers();
if (experiment === "microtask-zero-timers") installMicrotaskZeroTimers();

const config = loadConfig(Deno.env.toObject());
const diagnostics = new Diagnostics({ level: config.logLevel });
// Composed as main.ts composes it: without AMQP_URL the demo backend serves the node's bus here.
const bus = createBus(config, diagnostics);
await bus.start();
const embedded = config.amqpUrl === undefined
  ? await startDemoService(bus, {
    shards: config.shards,
    logRate: config.demoLogRate,
    poolUpdateSeconds: config.demoPoolUpdateSeconds,
  })
  : undefined;
const node: RunningNode = await startNode({
  config,
  diagnostics,
  bus,
  companions: embedded === undefined ? [] : [embedded],
});
const immediate = () => new Promise<void>((r) => setImmediate(r));
const ids = new IdSource();
const probe = new SendProbe();
const probed = new WeakSet<Connection>();

/** Watches the frames every `every`-th log spectator is sent (see `_probe.ts`). */
function probeSessions(every: number): number {
  let i = 0;
  let n = 0;
  for (const stream of node.gateway.streams.logStreams()) {
    const session = stream.connection;
    if (i++ % every !== 0) continue;
    n++;
    if (probed.has(session)) continue;
    probed.add(session);
    const sendText = session.sendText.bind(session);
    session.sendText = (text: string) => {
      if (text.startsWith('{"_event":"log_other"')) probe.frame(text);
      sendText(text);
    };
  }
  return n;
}

function publishBatch(guildId: string, batch: string[]): void {
  node.bus.publish(guildTopic(guildId, "log.public"), `{"events":[${batch.join(",")}]}`)
    .catch(() => {});
}

await serveControl({
  url: new URL("/gateway", node.url).href.replace(/^http/, "ws"),
  embedded: config.amqpUrl === undefined,
  logs: config.logs,
  experiment,
}, {
  publish: async (plan: LoadPlan) => {
    if (config.amqpUrl !== undefined) throw new Error("publish runs in the AMQP publisher");
    const before = { ...node.gateway.streams.logs.counters };
    const result = await runOpenLoop<string>(plan, (_gi, guildId, batch) => {
      publishBatch(guildId, batch);
    });
    return { ...result, relay: diff(node.gateway.streams.logs.counters, before) };
  },
  /**
   * Closed loop to a single spectator, one event per frame: publish one
   * event, wait until the relay has written its frame to the socket (the
   * session's `sendText` is wrapped to say so), yield one macrotask, repeat;
   * pause while the socket has more than `limitBytes` unsent.
   */
  unbatched: async (
    args: { step: number; startAt: number; durationMs: number; limitBytes: number },
  ) => {
    const stream = node.gateway.streams.logStreams().next().value;
    if (stream === undefined) throw new Error("no spectator");
    const session = stream.connection;
    const guildId = stream.guildId;
    // One watchdog instead of a timer per event (the baseline's loop has none either).
    let waiting: { since: number; resolve: (sent: boolean) => void } | undefined;
    const watchdog = setInterval(() => {
      if (waiting !== undefined && nowMs() - waiting.since > 1000) {
        const w = waiting;
        waiting = undefined;
        w.resolve(false);
      }
    }, 100);
    const sendText = session.sendText.bind(session);
    session.sendText = (text: string) => {
      sendText(text);
      const w = waiting;
      waiting = undefined;
      w?.resolve(true);
    };
    const before = { ...node.gateway.streams.logs.counters };
    await new Promise((r) => setTimeout(r, Math.max(0, args.startAt - nowMs())));
    const end = args.startAt + args.durationMs;
    let n = 0;
    let waits = 0;
    let stuck = 0;
    try {
      while (nowMs() < end && !session.closed) {
        if (session.transport.bufferedAmount > args.limitBytes) {
          waits++;
          await immediate();
          continue;
        }
        const frameOut = new Promise<boolean>((resolve) => {
          waiting = { since: nowMs(), resolve };
        });
        const seq = args.step * SEQ_STEP + n;
        const at = roundMicros(nowMs());
        publishBatch(guildId, [eventJson(seq, at, at, ids.next(), guildId)]);
        n++;
        if (!(await frameOut)) stuck++;
        // One macrotask per event, as the baseline's and Socket.IO's loops yield.
        await immediate();
      }
    } finally {
      clearInterval(watchdog);
      session.sendText = sendText;
    }
    return {
      published: [n],
      total: n,
      waits,
      stuck,
      relay: diff(node.gateway.streams.logs.counters, before),
    };
  },
  probeArm: (args: { t0: number; warmMs: number; measureMs: number; every: number }) => {
    probe.arm(args);
    return { probed: probeSessions(args.every) };
  },
  probeSnapshot: () => probe.snapshot(),
  memory: () => gcAndMeasure(),
  ...profilerCommands,
  stats: () => ({
    sessions: node.gateway.connections.size,
    hub: node.gateway.counts(),
    logs: node.gateway.streams.logs.counters,
    traffic: node.gateway.traffic,
    counters: node.gateway.counters,
  }),
}, () => node.shutdown(1000));

function diff<T extends object>(now: T, before: T): T {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(now)) out[k] = v - (before as Record<string, number>)[k]!;
  return out as T;
}
