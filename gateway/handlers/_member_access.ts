import type { Principal } from "../auth/mod.ts";
import { GatewayError } from "../errors.ts";
import type { Access } from "../protocol/mod.ts";
import type { RequestContext } from "../request_context.ts";
import type { Services } from "../services.ts";

/**
 * The access of `principal` to a guild it must be a member of (Architus
 * staff always are). The spectated guild's access is reused; any other
 * guild is asked of the backend. Non-members get `not_a_member`.
 */
export async function memberAccess(
  ctx: RequestContext,
  services: Services,
  principal: Principal,
  guildId: string,
): Promise<Access> {
  const spectating = ctx.session.spectating;
  const access = spectating?.guildId === guildId &&
      ctx.session.principal?.userId === principal.userId
    ? spectating.access
    : await services.access(principal, guildId, ctx.signal);
  if (access.tier === "non_member") {
    throw new GatewayError("not_a_member", "not a member of that guild", {
      details: { guild_id: guildId },
    });
  }
  return access;
}
