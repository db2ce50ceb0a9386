// This module is browser-compatible.
import { GATEWAY_EVENT, isGatewayAction } from "../../client/mod.ts";

/** What the gateway granted for the guild the connection watches, as its pushes said. */
export interface WatchState {
  readonly guildId: string | null;
  readonly tier: string | null;
  /** The Architus permission bits in force in the guild. */
  readonly permissions: number;
  readonly categories: readonly string[];
  /** Why the gateway ended the watch (`not_a_member`, …); null while it goes on. */
  readonly ended: string | null;
}

export const NOT_WATCHING: WatchState = {
  guildId: null,
  tier: null,
  permissions: 0,
  categories: [],
  ended: null,
};

/**
 * Follows the client's `subscribed` and `unsubscribed` events and the
 * gateway's `access_changed` pushes (all `gateway/event` actions of the
 * middleware), so views know the rights in force without asking.
 */
export function watchReducer(state: WatchState = NOT_WATCHING, action: unknown): WatchState {
  if (!isGatewayAction(action, GATEWAY_EVENT)) return state;
  const { payload } = action;
  switch (payload.event) {
    case "subscribed":
      return {
        guildId: payload.data.guildId,
        tier: payload.data.tier,
        permissions: payload.data.permissions,
        categories: payload.data.categories,
        ended: null,
      };
    case "access_changed":
      if (payload.data.guild_id !== state.guildId) return state;
      return {
        ...state,
        tier: payload.data.tier,
        permissions: payload.data.permissions,
        categories: payload.data.categories,
      };
    case "unsubscribed":
      if (payload.data.guildId !== state.guildId || payload.data.willRestore) return state;
      return { ...state, ended: payload.data.reason };
    default:
      return state;
  }
}

/** The watch of `guildId` while the gateway grants it; null before, after, or for another guild. */
export function watchOf(state: WatchState, guildId: string): WatchState | null {
  return state.guildId === guildId && state.ended === null ? state : null;
}
