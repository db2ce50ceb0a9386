import type { ClientEventName } from "../protocol/mod.ts";
import type { RequestContext } from "../request_context.ts";
import type { Services } from "../services.ts";

/** Answers one kind of request. Throwing a `GatewayError` ends it with that error. */
export type Handler<E extends ClientEventName> = (
  ctx: RequestContext<E>,
  services: Services,
) => Promise<void>;
