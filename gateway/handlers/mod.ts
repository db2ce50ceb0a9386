/**
 * Request handlers, one per client event.
 *
 * @module
 */
import type { ClientEventName } from "../protocol/mod.ts";
import type { Handler } from "./handler.ts";
import { requestElevation, sessionInfo } from "./elevation.ts";
import { spectate } from "./spectate.ts";
import { poolAllRequest, poolRequest, poolSearch } from "./pools.ts";
import { interpret, mockUserEvent } from "./interpret.ts";
import { logsRequest } from "./logs.ts";

export type { Handler } from "./handler.ts";
export type { DemoteReason, Elevation, NonceClaims, Services } from "./services.ts";

/** The handler of every client event. */
export const HANDLERS: { [E in ClientEventName]?: Handler<E> } = {
  request_elevation: requestElevation,
  session: sessionInfo,
  spectate,
  pool_request: poolRequest,
  pool_all_request: poolAllRequest,
  pool_search: poolSearch,
  mock_user_event: mockUserEvent,
  ping: mockUserEvent,
  interpret,
  logs_request: logsRequest,
};
