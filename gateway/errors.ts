import { BackendError } from "./backend/backend.ts";
import { type ErrorBody, errorBody, type ErrorName } from "./protocol/mod.ts";

/**
 * A failure to answer a request, with a stable name from `ErrorCode`.
 * Its message and details go to the client: never put a token, a secret
 * or a raw payload in them.
 */
export class GatewayError extends Error {
  readonly error: ErrorName;
  readonly human: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    error: ErrorName,
    message: string,
    options: {
      human?: string;
      details?: Record<string, unknown>;
      retryAfter?: number;
      /** What caused it, kept for diagnostics (never sent to the client). */
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.error = error;
    this.human = options.human;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }

  /** The body of the error frame for this error. */
  toBody(): ErrorBody {
    return errorBody(this.error, this.message, {
      ...(this.human !== undefined ? { human: this.human } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
      ...(this.retryAfter !== undefined ? { retry_after: this.retryAfter } : {}),
    });
  }
}

/** Turns a backend failure into the error a client sees. */
export function fromBackendError(error: BackendError, deadlineMs: number): GatewayError {
  const cause = { cause: error };
  switch (error.kind) {
    case "timeout":
      return new GatewayError("backend_timeout", "backend did not answer before the deadline", {
        human: `The server took too long to answer (deadline ${deadlineMs / 1000} s). ` +
          "Please try again.",
        details: { deadline_ms: deadlineMs },
        ...cause,
      });
    case "unavailable":
      return new GatewayError("backend_unavailable", "backend is unavailable", cause);
    case "not_found":
      return new GatewayError("not_found", error.message, cause);
    case "bad_request":
      return new GatewayError("invalid_payload", error.message, cause);
    case "aborted":
      return new GatewayError("internal", "request was cancelled", cause);
    case "unsupported":
      return new GatewayError("not_available", error.message, {
        human: "This is not available with the bot's current version.",
        ...cause,
      });
    default:
      return new GatewayError("backend_error", "backend failed to answer", {
        ...(error.status !== undefined ? { details: { status: error.status } } : {}),
        ...cause,
      });
  }
}

/** Any thrown value as a GatewayError; unknown faults become `internal`. */
export function toGatewayError(error: unknown, deadlineMs: number): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof BackendError) return fromBackendError(error, deadlineMs);
  return new GatewayError("internal", "internal error", { cause: error });
}
