// This module is browser-compatible.
import type { GatewayEventMap } from "./client_types.ts";
import type { Listeners } from "./listeners.ts";
import type { LogCursor } from "./log_cursor.ts";
import type { ServerFrame } from "./protocol/mod.ts";
import type { RequestTable } from "./request_table.ts";
import type { SessionKeeper } from "./session_keeper.ts";
import type { SpectateKeeper } from "./spectate_keeper.ts";

/**
 * The state a `GatewayClient` shares with the parts it is made of (the
 * inbound frame handler and the session restorer). Only the client and
 * those parts hold it.
 */
export interface ClientCore {
  readonly session: SessionKeeper;
  readonly spectate: SpectateKeeper;
  readonly requests: RequestTable;
  readonly cursor: LogCursor;
  readonly events: Listeners<GatewayEventMap>;
  /** The client's socket now (open or opening), or null. */
  socket(): WebSocket | null;
}

/** Tells a server frame's listeners, then the `"*"` ones. */
export function emitFrame(core: ClientCore, frame: ServerFrame): void {
  (core.events.emit as (event: string, value: ServerFrame) => void)(frame._event, frame);
  core.events.emit("*", frame);
}
