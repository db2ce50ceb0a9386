import { GatewayError } from "../errors.ts";
import type { Principal } from "../auth/mod.ts";
import { ArchitusPermission, hasPermission, isGuildPool, type PoolType } from "../protocol/mod.ts";
import type { RequestContext } from "../connection/request_context.ts";
import type { Services } from "./services.ts";
import type { Handler } from "./handler.ts";
import { chunkPool, streamPool } from "../pools/mod.ts";
import { admitExpensive } from "./_expensive.ts";

/**
 * Checks that `principal` may read `type` in `guildId`: guild pools need
 * membership (staff excepted), and settings values need VIEW_SETTINGS.
 */
async function authorise(
  ctx: RequestContext,
  services: Services,
  principal: Principal,
  type: PoolType,
  guildId: string | null | undefined,
): Promise<string | null> {
  if (!isGuildPool(type)) return null;
  if (guildId === null || guildId === undefined) {
    throw new GatewayError("invalid_payload", `the ${type} pool needs guild_id`);
  }
  const access = await services.access.member(ctx.connection, principal, guildId, ctx.signal);
  if (
    type === "setting_value" &&
    !hasPermission(access.permissions, ArchitusPermission.VIEW_SETTINGS)
  ) {
    throw new GatewayError("forbidden", "setting values need VIEW_SETTINGS", {
      human: "You are not allowed to view this server's settings.",
    });
  }
  return guildId;
}

function requireSeq(ctx: RequestContext): void {
  if (ctx.seq === undefined) {
    throw new GatewayError("invalid_payload", `${ctx.event} needs _seq to answer to`);
  }
}

/** `pool_request {type, guild_id?, ids}`: entities by id; unknown ids land in `nonexistent`. */
export const poolRequest: Handler<"pool_request"> = async (ctx, services) => {
  requireSeq(ctx);
  const principal = ctx.requirePrincipal();
  const { type } = ctx.frame;
  const guildId = await authorise(ctx, services, principal, type, ctx.frame.guild_id);
  const ids = [...new Set(ctx.frame.ids)];
  const result = await services.backend.poolRequest(
    { userId: principal.userId, guildId, type, ids },
    ctx.signal,
  );
  await streamPool(ctx, chunkPool(result.data, result.nonexistent));
};

/** `pool_all_request {type, guild_id?, online?}`: a whole pool, streamed in chunks. */
export const poolAllRequest: Handler<"pool_all_request"> = async (ctx, services) => {
  requireSeq(ctx);
  const principal = ctx.requirePrincipal();
  const { type } = ctx.frame;
  if (type === "user" || type === "partial_user") {
    throw new GatewayError("invalid_payload", "the user pool cannot be listed whole", {
      human: "Users can only be requested by id.",
    });
  }
  const guildId = await authorise(ctx, services, principal, type, ctx.frame.guild_id);
  admitExpensive(ctx, services);
  const online = ctx.frame.online === true;
  const discordAccessToken = guildId === null ? principal.discordAccessToken : undefined;
  const load = (signal?: AbortSignal) =>
    services.backend.poolAll(
      { userId: principal.userId, guildId, type, online, discordAccessToken },
      signal,
    ).then((data) => chunkPool(data, []));
  // A guild's pool is the same for every member allowed to read it (checked above), so it is
  // shared, and loaded for everyone: not cancelled when one requester leaves. Other pools (the
  // user's own guilds) are the caller's own.
  const answer = guildId === null
    ? await load(ctx.signal)
    : await services.pools.get({ guildId, type, online }, () => load());
  await streamPool(ctx, answer);
};

/** `pool_search {type: "member", guild_id, query, limit?}`: members by name or nick prefix. */
export const poolSearch: Handler<"pool_search"> = async (ctx, services) => {
  requireSeq(ctx);
  const principal = ctx.requirePrincipal();
  const guildId = await authorise(ctx, services, principal, "member", ctx.frame.guild_id);
  const data = await services.backend.poolSearch(
    { guildId: guildId as string, query: ctx.frame.query, limit: ctx.frame.limit ?? 25 },
    ctx.signal,
  );
  await streamPool(ctx, chunkPool(data, []));
};
