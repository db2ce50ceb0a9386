import type { Category } from "../bus/mod.ts";
import { GatewayError } from "../errors.ts";
import { LogDelivery } from "../logs/log_delivery.ts";
import { readReplay } from "../logs/replay.ts";
import { ArchitusPermission, hasPermission } from "../protocol/mod.ts";
import type { Handler } from "./handler.ts";

/**
 * `spectate {guild_id, include_logs?, since?}`: leaves the guild spectated
 * so far, checks membership with the backend, then joins the guild's room
 * with exactly the categories the connection may see. `guild_id: null` only
 * leaves. With `since`, the log stream resumes after that event: the room
 * is joined first and live events are held, the history after `since` is
 * read and sent, then the held events newer than it, so nothing is missed
 * or sent twice. Spectates of one connection apply one after another.
 */
export const spectate: Handler<"spectate"> = (ctx, services) => {
  const session = ctx.session;
  const run = async () => {
    const seq = ctx.seq !== undefined ? { seq: ctx.seq } : {};
    if (ctx.frame.guild_id === null) {
      // Leaving needs no identity: an unelevated connection spectates nothing anyway.
      await services.hub.leave(session);
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
    const since = wantsLogs && publicLogs ? ctx.frame.since : undefined;
    const delivery = wantsLogs && publicLogs
      ? new LogDelivery({
        session,
        guildId,
        includePrivate: privateLogs,
        limits: services.logs.limits,
        replaying: since !== undefined,
      })
      : null;
    await services.hub.spectate(session, { guildId, access, categories }, delivery);
    const answer = {
      _event: "spectate_return" as const,
      ...seq,
      guild_id: guildId,
      tier: access.tier,
      permissions: access.permissions,
      categories: [...categories],
      logs: !wantsLogs
        ? "not_requested" as const
        : publicLogs
        ? "granted" as const
        : "refused" as const,
    };
    if (since === undefined || delivery === null) {
      ctx.finish(answer);
      return;
    }
    let replay;
    try {
      replay = await readReplay(services.backend, {
        guildId,
        since,
        includePrivate: privateLogs,
        max: services.config.logs.maxReplay,
      }, ctx.signal);
    } catch (error) {
      // Without history the stream still goes on live; the client must reload.
      services.diagnostics.warn("log replay failed", { guild: guildId, error });
      replay = { recovered: false, events: [] };
    }
    if (session.logs !== delivery) return; // left or switched meanwhile
    ctx.finish({ ...answer, recovered: replay.recovered });
    delivery.finishReplay(replay.events);
  };
  const result = session.spectateChain.then(run);
  session.spectateChain = result.catch(() => {});
  return result;
};
