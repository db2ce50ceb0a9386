import type { RequestContext } from "../connection/request_context.ts";
import { GatewayError } from "../errors.ts";
import type { Services } from "./services.ts";

/**
 * Admits expensive work (a whole pool, a history page) or refuses it at
 * once: `overloaded` while the node is over its send budget, `busy` while
 * this connection has not read what it was already sent (a client that
 * never reads then pins at most the answers already under way).
 */
export function admitExpensive(ctx: RequestContext, services: Services): void {
  services.budget.admitExpensive();
  if (!ctx.connection.backlogged) return;
  throw new GatewayError("busy", "the answers already sent have not been read yet", {
    details: { retry_after: 1 },
    retryAfter: 1,
  });
}
