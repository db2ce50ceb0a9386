import type { RequestHandler } from "../connection/dispatcher.ts";
import type { ClientEventName } from "../protocol/mod.ts";
import type { Services } from "./services.ts";

/** Answers one kind of request. Throwing a `GatewayError` ends it with that error. */
export type Handler<E extends ClientEventName> = RequestHandler<E, Services>;
