import { TokenError } from "../auth/mod.ts";
import { GatewayError } from "../errors.ts";
import { PROTOCOL_VERSION } from "../protocol/mod.ts";
import type { Handler } from "./handler.ts";
import type { Services } from "./services.ts";

/** The token a nonce was registered with, once; null when unknown, used or expired. */
async function claimNonce(services: Services, nonce: string): Promise<string | null> {
  try {
    return await services.nonces.claim(nonce);
  } catch (error) {
    throw new GatewayError("backend_unavailable", "the sign-in nonce could not be checked", {
      cause: error,
    });
  }
}

/**
 * `request_elevation {token}` or `{nonce}`: verifies the token (for a
 * nonce, the one the REST API registered with it, which the nonce gives at
 * most once) and elevates the connection into its authenticated room.
 * Elevating as another user first demotes the connection, so nothing
 * granted to the old identity survives.
 */
export const requestElevation: Handler<"request_elevation"> = async (ctx, services) => {
  const connection = ctx.connection;
  const nonce = ctx.frame.nonce;
  const token = nonce === undefined ? ctx.frame.token : await claimNonce(services, nonce);
  let principal;
  try {
    if (token === undefined || token === null) throw new TokenError("unknown_nonce");
    principal = await services.verifier.verify(token);
  } catch (error) {
    const reason = error instanceof TokenError ? error.reason : "malformed";
    connection.log.info("elevation refused", { reason });
    ctx.finish({
      _event: "elevation_return",
      ...(ctx.seq !== undefined ? { seq: ctx.seq } : {}),
      result: false,
      message: `Missing or invalid jwt (${reason})`,
    });
    return;
  }
  if (connection.closed) return;
  if (connection.principal !== null && connection.principal.userId !== principal.userId) {
    await services.elevation.demote(connection, "signed_out");
  }
  services.elevation.elevate(connection, principal);
  // A new token is a good moment to ask again whether the user may still watch.
  if (connection.spectating !== null) void services.accessWatch.recheck(connection);
  ctx.finish({
    _event: "elevation_return",
    ...(ctx.seq !== undefined ? { seq: ctx.seq } : {}),
    result: true,
    message: "success",
    user_id: principal.userId,
    expires_at: principal.expiresAt,
  });
};

/** `session`: what the connection is (elevated as whom, until when, spectating what). */
export const sessionInfo: Handler<"session"> = (ctx) => {
  const p = ctx.connection.principal;
  ctx.finish({
    _event: "session_return",
    ...(ctx.seq !== undefined ? { seq: ctx.seq } : {}),
    version: PROTOCOL_VERSION,
    elevated: p !== null,
    user_id: p?.userId ?? null,
    expires_at: p?.expiresAt ?? null,
    spectating: ctx.connection.spectating?.guildId ?? null,
  });
  return Promise.resolve();
};
