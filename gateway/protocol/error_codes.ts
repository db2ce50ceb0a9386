// This module is browser-compatible.

/**
 * Stable error names carried by `error` frames (field `error`) with the
 * HTTP-like numeric `code` the archit.us client decodes. The names never
 * change; the numbers follow HTTP so old clients can branch on them.
 */
export const ErrorCode = {
  bad_frame: 400,
  unknown_event: 400,
  invalid_payload: 422,
  not_authenticated: 401,
  invalid_token: 401,
  token_mismatch: 403,
  forbidden: 403,
  not_a_member: 403,
  not_found: 404,
  rate_limited: 429,
  busy: 429,
  backend_error: 502,
  backend_unavailable: 503,
  backend_timeout: 504,
  overloaded: 503,
  draining: 503,
  not_available: 501,
  internal: 500,
} as const;

export type ErrorName = keyof typeof ErrorCode;

/** Default human-readable texts, shown to people (never tokens or internals). */
export const ERROR_HUMAN: Readonly<Record<ErrorName, string>> = {
  bad_frame: "The request could not be read.",
  unknown_event: "The request is not one the gateway knows.",
  invalid_payload: "The request is missing fields or has wrong ones.",
  not_authenticated: "You need to sign in for this.",
  invalid_token: "Your session is not valid. Please sign in again.",
  token_mismatch: "The request was signed for another user.",
  forbidden: "You are not allowed to do this.",
  not_a_member: "You are not a member of that server.",
  not_found: "That was not found.",
  rate_limited: "Too many requests. Please slow down.",
  busy: "Too many requests at once. Wait for the ones under way.",
  backend_error: "The server had a problem answering.",
  backend_unavailable: "The server is temporarily unavailable.",
  backend_timeout: "The server took too long to answer.",
  overloaded: "The server is busy. Please try again in a moment.",
  draining: "This server is restarting. Reconnecting will reach another one.",
  not_available: "This is not available on this server.",
  internal: "Something went wrong.",
};
