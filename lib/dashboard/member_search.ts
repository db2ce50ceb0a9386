// This module is browser-compatible.
import { gatewayRequest, LIMITS, type Member } from "../../client/mod.ts";
import type { DashboardStore } from "./dashboard_store.ts";

/**
 * Members of a guild whose name or nick starts with `query` (`pool_search`,
 * through the store: the members found join its member pool). Resolves
 * null when the search failed.
 */
export async function searchMembers(
  store: DashboardStore,
  guildId: string,
  query: string,
  limit: number,
): Promise<Member[] | null> {
  const outcome = await store.dispatch(gatewayRequest("pool_search", {
    type: "member",
    guild_id: guildId,
    query: query.slice(0, LIMITS.searchQueryChars),
    limit: Math.min(LIMITS.searchLimit, Math.max(1, limit)),
  }));
  return outcome.type === "gateway/request/success" ? outcome.payload.data : null;
}
