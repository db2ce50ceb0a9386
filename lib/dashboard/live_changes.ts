// This module is browser-compatible.
import {
  canonicalPoolType,
  GATEWAY_EVENT,
  isGatewayAction,
  type PoolType,
} from "../../client/mod.ts";

/** One `log_pool` push as the views remember it: which entity, and what happened to it. */
export interface LiveChange {
  /** Grows with every push: tells new ones from those already seen. */
  readonly seq: number;
  readonly type: PoolType;
  readonly guildId: string;
  readonly id: string;
  readonly action: "add" | "update" | "remove";
  /** The entity after the change (absent on `remove`). */
  readonly entity?: unknown;
}

/** Pushes remembered; views read only the ones newer than what they saw. */
const KEPT = 100;

/**
 * Remembers the newest `log_pool` pushes (the middleware's `gateway/event`
 * actions), so views can mark what the gateway changed live, apart from
 * what they loaded.
 */
export function liveChangesReducer(
  state: readonly LiveChange[] = [],
  action: unknown,
): readonly LiveChange[] {
  if (!isGatewayAction(action, GATEWAY_EVENT) || action.payload.event !== "log_pool") return state;
  const frame = action.payload.data;
  const type = canonicalPoolType(frame.type);
  if (type === undefined) return state;
  const change: LiveChange = {
    seq: (state[state.length - 1]?.seq ?? 0) + 1,
    type,
    guildId: frame.guild_id,
    id: frame.id,
    action: frame.action,
    ...(frame.entity === undefined ? {} : { entity: frame.entity }),
  };
  const next = state.length >= KEPT ? state.slice(state.length - KEPT + 1) : state.slice();
  next.push(change);
  return next;
}
