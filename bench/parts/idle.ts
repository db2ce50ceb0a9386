/**
 * Part "idle": memory per idle connection. The server starts, settles, and
 * its memory is read after a full garbage collection; a client process then
 * opens connections in stages (5,000, then up to 10,000), and after each
 * stage has settled the memory is read again. For the gateway every
 * connection is elevated (cookie) and spectates a guild with logs; for the
 * baseline it is a bare WebSocket in a guild's set; for Socket.IO a socket
 * joined to a room. Per connection = growth of RSS (and of the JS heap) /
 * connections. Kernel socket buffers are not in RSS and not counted.
 *
 * @module
 */
import { log, type PartContext, sleep } from "../lib/common.ts";
import { memory, round } from "../lib/proc.ts";
import {
  DEMO_GUILDS,
  staffCookie,
  startClients,
  startSystem,
  SYSTEM_LABELS,
  type SystemName,
} from "../lib/systems.ts";

export interface IdleStage {
  connections: number;
  rssMb: number;
  heapUsedMb: number;
  /** RSS growth per connection since the empty server, bytes. */
  rssPerConnection: number;
  heapPerConnection: number;
  /** Connections the server counts (gateway: spectating). */
  serverSees: number;
  openSeconds: number;
}

export interface IdleSystem {
  system: SystemName;
  label: string;
  emptyRssMb: number;
  stages: IdleStage[];
  error?: string;
}

export interface IdleResult {
  systems: IdleSystem[];
}

interface MemoryReading {
  rss: number;
  heapUsed: number;
}

export async function runIdle(part: PartContext): Promise<IdleResult> {
  const systems: IdleSystem[] = [];
  for (const name of part.settings.idle.systems) {
    log(`idle: ${name}`);
    try {
      systems.push(await runSystem(part, name));
    } catch (error) {
      log(`idle ${name} failed: ${error}`);
      systems.push({
        system: name,
        label: SYSTEM_LABELS[name],
        emptyRssMb: NaN,
        stages: [],
        error: error instanceof Error ? error.message.slice(0, 500) : String(error),
      });
    }
  }
  return { systems };
}

async function runSystem(part: PartContext, name: SystemName): Promise<IdleSystem> {
  const system = await startSystem(name);
  const clients = await startClients(system, "idle-clients");
  try {
    await sleep(1000);
    const empty = await system.server.call<MemoryReading>("memory");
    const result: IdleSystem = {
      system: name,
      label: SYSTEM_LABELS[name],
      emptyRssMb: round(empty.rss / 1048576, 1),
      stages: [],
    };
    let open = 0;
    for (const target of part.settings.idle.counts) {
      const t0 = performance.now();
      const opened = await clients.call<{ ok: number; failed: number; errors: string[] }>("open", {
        url: system.url,
        count: target - open,
        guilds: DEMO_GUILDS,
        mode: system.protocol,
        cookie: system.protocol === "gateway" ? await staffCookie() : undefined,
        concurrency: 200,
        timeoutMs: 60_000,
      }, 300_000);
      if (opened.failed > 0) {
        throw new Error(`${opened.failed} connections failed: ${opened.errors.join("; ")}`);
      }
      open = target;
      const openSeconds = round((performance.now() - t0) / 1000, 2);
      await sleep(2000);
      const m = await system.server.call<MemoryReading>("memory");
      const rss = memory(system.server.pid).rss;
      const stats = await system.server.call<Record<string, unknown>>("stats");
      const sees = typeof stats.hub === "object"
        ? (stats.hub as { spectators: number }).spectators
        : Number(stats.sockets ?? 0);
      const stage: IdleStage = {
        connections: target,
        rssMb: round(rss / 1048576, 1),
        heapUsedMb: round(m.heapUsed / 1048576, 1),
        rssPerConnection: Math.round((rss - empty.rss) / target),
        heapPerConnection: Math.round((m.heapUsed - empty.heapUsed) / target),
        serverSees: sees,
        openSeconds,
      };
      result.stages.push(stage);
      log(
        `  ${target} connections: RSS ${stage.rssMb} MB, ${stage.rssPerConnection} B/conn ` +
          `(heap ${stage.heapPerConnection} B/conn), server sees ${sees}`,
      );
    }
    return result;
  } finally {
    await clients.stop();
    await system.stop();
  }
}
