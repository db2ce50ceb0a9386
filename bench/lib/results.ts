/**
 * The results file (`bench/results/latest.json`): one entry per part, each
 * with when and how it ran and how noisy the machine was, plus the machine.
 * Running one part replaces only that part's entry. The targets are
 * computed from it (`targets.ts`).
 *
 * @module
 */
import type { AmqpResult } from "../parts/amqp.ts";
import type { FanoutResult } from "../parts/fanout.ts";
import type { IdleResult } from "../parts/idle.ts";
import type { ProfileResult } from "../parts/profile.ts";
import type { RpcResult } from "../parts/rpc.ts";
import type { StormResult } from "../parts/storm.ts";
import type { UnbatchedResult } from "../parts/unbatched.ts";
import type { MachineInfo, Noise } from "./machine.ts";
import type { Settings } from "./settings.ts";

export const PART_NAMES = [
  "fanout",
  "amqp",
  "unbatched",
  "idle",
  "rpc",
  "storm",
  "profile",
] as const;
export type PartName = typeof PART_NAMES[number];

export interface PartMeta {
  startedAt: string;
  /** The commit of the working tree when the part ran (the gateway may change between parts). */
  commit?: string;
  durationSeconds: number;
  mode: Settings["mode"];
  repeats: number;
  warmMs: number;
  measureMs: number;
  drainMs: number;
  noise: Noise;
}

export interface PartResults {
  fanout: FanoutResult;
  amqp: AmqpResult;
  unbatched: UnbatchedResult;
  idle: IdleResult;
  rpc: RpcResult;
  storm: StormResult;
  profile: ProfileResult;
}

export type PartEntry<K extends PartName> = { meta: PartMeta; result: PartResults[K] };

export interface Results {
  schema: 2;
  updatedAt: string;
  machine: MachineInfo;
  /** Wall time of the last whole run (`deno task bench`), when there was one. */
  lastFullRunSeconds?: number;
  parts: { [K in PartName]?: PartEntry<K> };
}
