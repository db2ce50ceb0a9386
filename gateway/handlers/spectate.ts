import type { Category } from "../bus/mod.ts";
import { GatewayError } from "../errors.ts";
import { ArchitusPermission, hasPermission } from "../protocol/mod.ts";
import type { Handler } from "./handler.ts";

/**
 * `spectate {guild_id, include_logs?}`: leaves the guild spectated so far,
 * checks membership with the backend, then joins the guild's room with
 * exactly the categories the connection may see. `guild_id: null` only
 * leaves. Spectates of one connection are applied one after another.
 */
export const spectate: Handler<"spectate"> = (ctx, services) => {
  const session = ctx.session;
  const run = async () => {
    const principal = session.principal;
    if (principal === null) {
      throw new GatewayError("not_authenticated", "spectate needs an elevated connection", {
        human: "Sign in to watch a server.",
      });
    }
    if (ctx.principal !== null && ctx.principal.userId !== principal.userId) {
      throw new GatewayError("token_mismatch", "request token names another user");
    }
    await services.hub.leave(session);
    const guildId = ctx.frame.guild_id;
    const seq = ctx.seq !== undefined ? { seq: ctx.seq } : {};
    if (guildId === null) {
      ctx.finish({
        _event: "spectate_return",
        ...seq,
        guild_id: null,
        tier: "none",
        permissions: 0,
        categories: [],
        logs: "not_requested",
      });
      return;
    }
    const access = await services.access(principal, guildId, ctx.signal);
    if (access.tier === "non_member") {
      throw new GatewayError("not_a_member", "not a member of that guild", {
        details: { guild_id: guildId },
      });
    }
    // The connection may have been demoted or closed while the backend answered.
    if (session.closed || session.principal?.userId !== principal.userId) {
      throw new GatewayError("not_authenticated", "connection was demoted during spectate");
    }
    const categories = new Set<Category>(["pool"]);
    const wantsLogs = ctx.frame.include_logs === true;
    const publicLogs = hasPermission(access.permissions, ArchitusPermission.VIEW_PUBLIC_LOGS);
    const privateLogs = hasPermission(access.permissions, ArchitusPermission.VIEW_PRIVATE_LOGS);
    if (wantsLogs && publicLogs) categories.add("log.public");
    if (wantsLogs && privateLogs) categories.add("log.private");
    await services.hub.spectate(session, { guildId, access, categories });
    ctx.finish({
      _event: "spectate_return",
      ...seq,
      guild_id: guildId,
      tier: access.tier,
      permissions: access.permissions,
      categories: [...categories],
      logs: !wantsLogs ? "not_requested" : publicLogs ? "granted" : "refused",
    });
  };
  const result = session.spectateChain.then(run);
  session.spectateChain = result.catch(() => {});
  return result;
};
