import type { ErrorBody, ServerFrame } from "../protocol/mod.ts";

/** Requests answered by `pool_response` chunks. */
export const POOL_EVENTS: ReadonlySet<string> = new Set([
  "pool_request",
  "pool_all_request",
  "pool_search",
]);

/**
 * The terminal frame that refuses or fails a request. Pool requests end
 * with a finished `pool_response` carrying the error, because the archit.us
 * client only stops waiting on `finished: true`; every other request gets
 * an `error` frame. Both carry the request's `seq` when it had one; a frame
 * without one gets a seq-less `error`.
 */
export function refusalFrame(
  event: string | undefined,
  seq: number | undefined,
  error: ErrorBody,
  nonexistent: readonly string[] = [],
): ServerFrame {
  if (seq !== undefined && event !== undefined && POOL_EVENTS.has(event)) {
    return {
      _event: "pool_response",
      seq,
      finished: true,
      data: [],
      nonexistent: [...nonexistent],
      error,
    };
  }
  return { _event: "error", ...(seq !== undefined ? { seq } : {}), ...error };
}
