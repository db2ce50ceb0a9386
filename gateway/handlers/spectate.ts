import { GatewayError } from "../errors.ts";
import type { Handler } from "./handler.ts";

/**
 * `spectate {guild_id, include_logs?, since?}`: checks membership with the
 * backend, then leaves the guild spectated so far and joins the new guild's
 * room with exactly the categories the connection may see (see
 * `GuildStreams.spectate`, which also resumes the log stream after
 * `since`). A refused spectate keeps the current one. `guild_id: null` only
 * leaves. Spectates of one connection apply one after another.
 */
export const spectate: Handler<"spectate"> = (ctx, services) => {
  const connection = ctx.connection;
  return connection.serially(async () => {
    const seq = ctx.seq !== undefined ? { seq: ctx.seq } : {};
    if (ctx.frame.guild_id === null) {
      // Leaving needs no identity: an unelevated connection spectates nothing anyway.
      await services.streams.leave(connection);
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
    const principal = connection.principal;
    if (principal === null) {
      throw new GatewayError("not_authenticated", "spectate needs an elevated connection", {
        human: "Sign in to watch a server.",
      });
    }
    if (ctx.principal !== null && ctx.principal.userId !== principal.userId) {
      throw new GatewayError("token_mismatch", "request token names another user");
    }
    const guildId = ctx.frame.guild_id;
    const access = await services.access.of(principal, guildId, ctx.signal);
    if (access.tier === "non_member") {
      throw new GatewayError("not_a_member", "not a member of that guild", {
        details: { guild_id: guildId },
      });
    }
    // The connection may have been demoted or closed while the backend answered.
    if (connection.closed || connection.principal?.userId !== principal.userId) {
      throw new GatewayError("not_authenticated", "connection was demoted during spectate");
    }
    const outcome = await services.streams.spectate(connection, {
      guildId,
      access,
      includeLogs: ctx.frame.include_logs === true,
      since: ctx.frame.since,
    }, ctx.signal);
    if (outcome === null) return; // left or switched meanwhile
    ctx.finish({
      _event: "spectate_return",
      ...seq,
      guild_id: guildId,
      tier: access.tier,
      permissions: access.permissions,
      categories: [...outcome.categories],
      logs: outcome.logs,
      ...(outcome.recovered !== undefined ? { recovered: outcome.recovered } : {}),
      ...(outcome.replayed !== undefined ? { replayed: outcome.replayed } : {}),
    });
    outcome.deliverReplay?.();
  });
};
