import { GatewayError } from "../errors.ts";
import { ArchitusPermission, hasPermission } from "../protocol/mod.ts";
import type { Handler } from "./handler.ts";
import { admitExpensive } from "./_expensive.ts";

/**
 * `logs_request {guild_id, before?, after?, limit?, filter?}`: a page of
 * the guild's log history, newest first. Needs VIEW_PUBLIC_LOGS; private
 * events only with VIEW_PRIVATE_LOGS.
 */
export const logsRequest: Handler<"logs_request"> = async (ctx, services) => {
  if (ctx.seq === undefined) {
    throw new GatewayError("invalid_payload", "logs_request needs _seq to answer to");
  }
  const principal = ctx.requirePrincipal();
  const guildId = ctx.frame.guild_id;
  const access = await services.access.member(ctx.connection, principal, guildId, ctx.signal);
  if (!hasPermission(access.permissions, ArchitusPermission.VIEW_PUBLIC_LOGS)) {
    throw new GatewayError("forbidden", "logs need VIEW_PUBLIC_LOGS", {
      human: "You are not allowed to view this server's logs.",
    });
  }
  admitExpensive(ctx, services);
  const page = await services.backend.logsHistory({
    guildId,
    before: ctx.frame.before,
    after: ctx.frame.after,
    limit: ctx.frame.limit ?? 100,
    filter: ctx.frame.filter,
    includePrivate: hasPermission(access.permissions, ArchitusPermission.VIEW_PRIVATE_LOGS),
  }, ctx.signal);
  ctx.finish({
    _event: "logs_response",
    seq: ctx.seq,
    guild_id: guildId,
    events: [...page.events],
    has_more: page.hasMore,
  });
};
