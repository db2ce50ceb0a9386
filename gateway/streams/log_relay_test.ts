import assert from "node:assert/strict";
import { encodeLogMessage, MemoryBus } from "../bus/mod.ts";
import { Connection } from "../connection/connection.ts";
import { Diagnostics } from "../observability/diagnostics.ts";
import { ALL_ARCHITUS_PERMISSIONS } from "../protocol/mod.ts";
import { FakeTransport } from "../../testing/fake_transport.ts";
import { sleep, waitFor } from "../../testing/wait_for.ts";
import { GuildRooms } from "./guild_rooms.ts";
import { LogDelivery } from "./log_delivery.ts";
import { LogRelay, type RelayOptions } from "./log_relay.ts";

const OPTIONS: RelayOptions = {
  windowMs: 200,
  frameBudget: 1_000_000,
  softBytes: 256 * 1024,
  hardBytes: 1024 * 1024,
  maxHeld: 1000,
  slowCloseMs: 15_000,
};
const LIMITS = { burst: 100, perSecond: 100, strikes: 10, strikeWindowMs: 10_000 };
const OUTBOUND = { softBytes: 256 * 1024, hardBytes: 1024 * 1024, slowCloseMs: 15_000 };
const ACCESS = { tier: "architus_staff" as const, permissions: ALL_ARCHITUS_PERMISSIONS };

interface Spectator {
  readonly transport: FakeTransport;
  readonly connection: Connection;
}

/** `guilds` guilds with one log spectator each, on a relay of their own. */
async function setup(guilds: number) {
  const log = new Diagnostics({ level: "error", sink: () => {} });
  const bus = new MemoryBus();
  await bus.start();
  const rooms = new GuildRooms(bus, () => {});
  const relay = new LogRelay(rooms, OPTIONS, log);
  const spectators = new Map<string, Spectator>();
  for (let g = 0; g < guilds; g++) {
    const guildId = String(800000000000000000n + BigInt(g));
    const transport = new FakeTransport();
    const connection = new Connection({
      id: `c${g}`,
      transport,
      log,
      limits: LIMITS,
      outbound: OUTBOUND,
    });
    const delivery = new LogDelivery({
      connection,
      guildId,
      includePrivate: true,
      limits: OPTIONS,
      replaying: false,
    });
    await rooms.join({
      connection,
      spectating: {
        guildId,
        access: ACCESS,
        categories: new Set(["log.public", "log.private"]),
        checkedAt: Date.now(),
      },
      wantsLogs: true,
      logs: delivery,
    });
    spectators.set(guildId, { transport, connection });
  }
  return {
    relay,
    spectators,
    close: async () => {
      relay.shutdown();
      await bus.shutdown();
    },
  };
}

let nextId = 1_000_000_000_000_000_000n;
function event(guildId: string, extra: Record<string, unknown> = {}) {
  nextId++;
  return { id: String(nextId), guild_id: guildId, type: 2003, ...extra };
}

function eventsOf(transport: FakeTransport): Array<Array<{ id: string }>> {
  return transport.frames().map((f) => f.events as Array<{ id: string }>);
}

Deno.test("LogRelay sends a guild's first message in a window at once and the rest at its end", async () => {
  const { relay, spectators, close } = await setup(1);
  try {
    const [guildId, { transport }] = [...spectators][0]!;
    const sent = [event(guildId), event(guildId), event(guildId)];
    for (const e of sent) relay.onMessage(guildId, false, encodeLogMessage([e]));
    assert.deepEqual(eventsOf(transport).map((f) => f.length), [1], "the first goes out at once");
    await waitFor(() => transport.sent.length === 2, { timeoutMs: 1000 });
    assert.deepEqual(eventsOf(transport).flat().map((e) => e.id), sent.map((e) => e.id));
  } finally {
    await close();
  }
});

Deno.test("LogRelay arms one timer for the whole node however many guilds wait", async () => {
  const { relay, spectators, close } = await setup(300);
  const realSetTimeout = globalThis.setTimeout;
  let timers = 0;
  try {
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      timers++;
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout;
    for (let round = 0; round < 3; round++) {
      for (const guildId of spectators.keys()) {
        relay.onMessage(guildId, false, encodeLogMessage([event(guildId)]));
      }
    }
    globalThis.setTimeout = realSetTimeout;
    assert.equal(timers, 1, "one boundary timer for 300 waiting guilds");
    for (const { transport } of spectators.values()) {
      assert.deepEqual(eventsOf(transport).map((f) => f.length), [1]);
    }
    await waitFor(() => [...spectators.values()].every((s) => s.transport.sent.length === 2), {
      timeoutMs: 1000,
    });
    for (const { transport } of spectators.values()) {
      assert.deepEqual(eventsOf(transport).map((f) => f.length), [1, 2], "one frame per window");
    }
  } finally {
    globalThis.setTimeout = realSetTimeout;
    await close();
  }
});

Deno.test("LogRelay keeps a guild's order when public and private messages interleave", async () => {
  const { relay, spectators, close } = await setup(1);
  try {
    const [guildId, { transport }] = [...spectators][0]!;
    const a = event(guildId);
    const b = event(guildId, { private: true });
    const c = event(guildId);
    const d = event(guildId);
    relay.onMessage(guildId, false, encodeLogMessage([a]));
    // Arrive out of order within one window: the flush orders them by id.
    relay.onMessage(guildId, false, encodeLogMessage([d]));
    relay.onMessage(guildId, true, encodeLogMessage([b, c]));
    await waitFor(() => transport.sent.length === 2, { timeoutMs: 1000 });
    await sleep(OPTIONS.windowMs);
    const frames = transport.frames();
    assert.equal(frames.length, 2);
    assert.deepEqual(
      frames.flatMap((f) => f.events as Array<{ id: string; private: boolean }>).map((e) => [
        e.id,
        e.private,
      ]),
      [[a.id, undefined], [b.id, true], [c.id, true], [d.id, undefined]],
      "ascending ids; the private topic marks its events private",
    );
  } finally {
    await close();
  }
});
