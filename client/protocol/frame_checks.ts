// This module is browser-compatible.
import { canonicalPoolType } from "./helpers.ts";
import { checkJson } from "./json_schema.ts";
import { CLIENT_FRAME_SCHEMAS, SERVER_FRAME_SCHEMAS } from "./schemas.ts";
import type { ServerFrame } from "./types.ts";

/** The outcome of checking one frame. */
export type FrameCheck<T> =
  | { readonly ok: true; readonly frame: T }
  | { readonly ok: false; readonly reason: string };

const POOL_EVENTS = new Set(["pool_request", "pool_all_request", "pool_search"]);

/**
 * Checks a frame the client is about to send against the protocol, as the
 * gateway would read it. The frame is sent as written: the gateway
 * normalises ids and aliases itself.
 */
export function checkClientFrame(frame: Record<string, unknown>): FrameCheck<typeof frame> {
  const event = frame._event;
  if (typeof event !== "string" || !Object.hasOwn(CLIENT_FRAME_SCHEMAS, event)) {
    return { ok: false, reason: `unknown event ${String(event)}` };
  }
  const problem = checkJson(frame, CLIENT_FRAME_SCHEMAS[event]!);
  if (problem !== null) return { ok: false, reason: problem };
  // A pool name is a string in the schema; the gateway knows the list.
  if (POOL_EVENTS.has(event) && canonicalPoolType(String(frame.type)) === undefined) {
    return { ok: false, reason: "type: unknown pool type" };
  }
  return { ok: true, frame };
}

/** Checks a parsed frame from the gateway against the protocol. */
export function checkServerFrame(value: unknown): FrameCheck<ServerFrame> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "not a JSON object" };
  }
  const event = (value as { _event?: unknown })._event;
  if (typeof event !== "string" || !Object.hasOwn(SERVER_FRAME_SCHEMAS, event)) {
    return { ok: false, reason: `_event: unknown server event ${JSON.stringify(event)}` };
  }
  const problem = checkJson(value, SERVER_FRAME_SCHEMAS[event]!);
  if (problem !== null) return { ok: false, reason: problem };
  return { ok: true, frame: value as ServerFrame };
}
