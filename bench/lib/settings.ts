/**
 * What each part runs, in the full mode (`deno task bench`, for the
 * committed results) and the quick one (`deno task bench:quick`, under two
 * minutes, to check a change).
 *
 * @module
 */
import type { SystemName } from "./systems.ts";

export interface FanoutScenario {
  readonly id: string;
  readonly title: string;
  readonly guilds: number;
  readonly perGuild: number;
  readonly systems: readonly SystemName[];
}

export interface Settings {
  readonly mode: "full" | "quick";
  /** Repeats of every measurement; tables show the median. */
  readonly repeats: number;
  readonly warmMs: number;
  readonly measureMs: number;
  /** Longest wait for late events after a step's publisher stops. */
  readonly drainMs: number;
  /** Longest wait for a saturated step's backlog to clear before the next one. */
  readonly quiesceMs: number;
  /** Before each part, wait up to this long for other work on the machine to calm down. */
  readonly quietWaitMs: number;
  readonly fanout: {
    readonly scenarios: readonly FanoutScenario[];
    /** Offered deliveries per second, stepped up until a system saturates. */
    readonly steps: readonly number[];
    /** Further steps, only for a system not yet saturated at the last one. */
    readonly extraSteps: readonly number[];
    /** Also run a step at half of each system's saturation throughput. */
    readonly halfLoad: boolean;
  };
  /** Part "amqp": the RabbitMQ path at Architus' shape (issue 20). */
  readonly amqp: {
    /** Spectators of the node, spread evenly over each guild count. */
    readonly spectators: number;
    readonly guildCounts: readonly number[];
    /** The publishers compared at each guild count. */
    readonly systems: readonly SystemName[];
    /** Offered log events per second (one message each, per event), stepped up until saturated. */
    readonly rates: readonly number[];
    /** Further rates, only while not yet saturated. */
    readonly extraRates: readonly number[];
    /** The rate at which CPU per message is compared across guild counts. */
    readonly referenceRate: number;
    /** The consumer comparison: modes of `clients/amqp_consumer.ts`, at one rate, over this many guilds. */
    readonly consumers: {
      readonly modes: readonly string[];
      readonly rate: number;
      readonly guilds: number;
    };
  };
  readonly unbatched: { readonly systems: readonly SystemName[] };
  readonly idle: { readonly counts: readonly number[]; readonly systems: readonly SystemName[] };
  readonly rpc: {
    readonly modes: readonly ("gateway" | "gateway-amqp")[];
    /** Request kinds with their numbers of concurrent clients. */
    readonly cases: readonly { readonly kind: "ids" | "all"; readonly concurrency: number }[];
    readonly idsPerRequest: number;
  };
  readonly storm: { readonly count: number; readonly systems: readonly SystemName[] };
}

/**
 * `gateway-before` (the first round's gateway, `before.ts`) runs right after
 * `gateway` in the fan-out scenarios and the idle part, so that the report
 * compares before and after this round within one run.
 */
const ALL_FANOUT: readonly SystemName[] = [
  "baseline",
  "gateway",
  "gateway-before",
  "gateway-amqp",
  "socketio",
];
const IDLE_SYSTEMS: readonly SystemName[] = ["baseline", "gateway", "gateway-before", "socketio"];
const CONSUMER_MODES = ["wire", "channel", "consumer", "consumer-ack", "bus"];

export const FULL: Settings = {
  mode: "full",
  repeats: 3,
  warmMs: 1000,
  measureMs: 4000,
  drainMs: 3000,
  quiesceMs: 30_000,
  quietWaitMs: 90_000,
  fanout: {
    scenarios: [
      {
        id: "1x1000",
        title: "1,000 spectators of one guild",
        guilds: 1,
        perGuild: 1000,
        systems: ALL_FANOUT,
      },
      {
        id: "100x10",
        title: "100 guilds × 10 spectators",
        guilds: 100,
        perGuild: 10,
        systems: ALL_FANOUT,
      },
    ],
    steps: [10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000],
    extraSteps: [2_000_000, 4_000_000],
    halfLoad: true,
  },
  amqp: {
    spectators: 1000,
    guildCounts: [10, 100, 1000],
    systems: ["gateway-amqp", "gateway-amqp-batched"],
    rates: [1000, 2500, 5000, 10_000, 15_000],
    extraRates: [20_000, 30_000],
    referenceRate: 5000,
    consumers: { modes: CONSUMER_MODES, rate: 5000, guilds: 1000 },
  },
  unbatched: { systems: ["baseline", "gateway", "socketio"] },
  idle: { counts: [5000, 10000], systems: IDLE_SYSTEMS },
  rpc: {
    modes: ["gateway", "gateway-amqp"],
    cases: [
      { kind: "ids", concurrency: 1 },
      { kind: "ids", concurrency: 50 },
      { kind: "all", concurrency: 1 },
      { kind: "all", concurrency: 50 },
    ],
    idsPerRequest: 25,
  },
  storm: { count: 5000, systems: ["baseline", "gateway", "socketio"] },
};

/**
 * Settings with more systems in the fan-out and one-event-per-frame parts (`--with=`).
 * `gateway-before` is never added to the one-event-per-frame part: the first
 * round's server script builds those events itself, in the old event shape
 * (no `bench_due`), which today's events and receiver do not share.
 */
export function withSystems(settings: Settings, extra: readonly SystemName[]): Settings {
  if (extra.length === 0) return settings;
  const add = (list: readonly SystemName[], skip: readonly SystemName[] = []) => [
    ...list,
    ...extra.filter((x) => !list.includes(x) && !skip.includes(x)),
  ];
  return {
    ...settings,
    fanout: {
      ...settings.fanout,
      scenarios: settings.fanout.scenarios.map((s) => ({ ...s, systems: add(s.systems) })),
    },
    unbatched: { systems: add(settings.unbatched.systems, ["gateway-before"]) },
  };
}

export const QUICK: Settings = {
  mode: "quick",
  repeats: 1,
  warmMs: 500,
  measureMs: 1500,
  drainMs: 1000,
  quiesceMs: 3000,
  quietWaitMs: 0,
  fanout: {
    scenarios: [
      {
        id: "1x1000",
        title: "1,000 spectators of one guild",
        guilds: 1,
        perGuild: 1000,
        systems: ALL_FANOUT,
      },
    ],
    steps: [100_000, 500_000],
    extraSteps: [1_000_000],
    halfLoad: true,
  },
  amqp: {
    spectators: 1000,
    guildCounts: [10, 1000],
    systems: ["gateway-amqp", "gateway-amqp-batched"],
    rates: [2000, 10_000],
    extraRates: [],
    referenceRate: 2000,
    consumers: { modes: ["wire", "consumer", "bus"], rate: 5000, guilds: 1000 },
  },
  unbatched: { systems: ["baseline", "gateway", "socketio"] },
  idle: { counts: [3000], systems: IDLE_SYSTEMS },
  rpc: {
    modes: ["gateway", "gateway-amqp"],
    cases: [
      { kind: "ids", concurrency: 1 },
      { kind: "all", concurrency: 1 },
    ],
    idsPerRequest: 25,
  },
  storm: { count: 2000, systems: ["gateway", "socketio"] },
};
