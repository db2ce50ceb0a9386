import { TokenError } from "../auth/mod.ts";
import { PROTOCOL_VERSION } from "../protocol/mod.ts";
import type { Handler } from "./handler.ts";

/**
 * `request_elevation {token}`: verifies the token and elevates the
 * connection into its authenticated room. Elevating as another user first
 * demotes the connection, so nothing granted to the old identity survives.
 */
export const requestElevation: Handler<"request_elevation"> = async (ctx, services) => {
  const connection = ctx.connection;
  let principal;
  try {
    principal = await services.verifier.verify(ctx.frame.token);
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
