// This module is browser-compatible.
import { ERROR_HUMAN, type ErrorBody, ErrorCode, type ErrorName } from "./protocol/mod.ts";

/**
 * Names of failures the client produces itself, never sent by a server.
 * They carry `code: 0`, the status a browser reports for a request that got
 * no HTTP answer, so code that branches on REST statuses treats them alike.
 * The one exception is `invalid_payload`, which keeps the server's 422: the
 * request is just as wrong whichever side noticed.
 */
export const ClientErrorName = {
  /** The request's deadline passed before its terminal frame arrived. */
  timeout: "timeout",
  /** The caller's AbortSignal fired. */
  aborted: "aborted",
  /** The connection dropped while a request that is unsafe to repeat was in flight. */
  connectionLost: "connection_lost",
  /** The client was closed, or the server closed it with a terminal code. */
  closed: "closed",
  /** Too many frames were waiting for a connection. */
  queueFull: "queue_full",
  /** No token to elevate with: none given, or the token function returned none or threw. */
  noToken: "no_token",
  /** The answer with this request's `seq` was not the kind the request expects. */
  unexpectedResponse: "unexpected_response",
  /** The answer with this request's `seq` did not match the protocol. */
  malformedResponse: "malformed_response",
  /** The payload does not match the protocol, so it was never sent. */
  invalidPayload: "invalid_payload",
} as const;

export type ClientErrorName = typeof ClientErrorName[keyof typeof ClientErrorName];

const CLIENT_HUMAN: Readonly<Record<ClientErrorName, string>> = {
  timeout: "The server took too long to answer.",
  aborted: "The request was cancelled.",
  connection_lost: "The connection was lost. Please try again.",
  closed: "The connection is closed.",
  queue_full: "Too many requests are waiting for the connection.",
  no_token: "You need to sign in for this.",
  unexpected_response: "The server sent an unexpected answer.",
  malformed_response: "The server sent an answer that could not be read.",
  invalid_payload: "The request is missing fields or has wrong ones.",
};

/**
 * Server errors that say "not now" rather than "no": a request that is safe
 * to repeat may be sent again after `retryAfter` (see the `retry` option).
 */
export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set<ErrorName>([
  "rate_limited",
  "busy",
  "overloaded",
  "draining",
  "backend_unavailable",
  "backend_timeout",
]);

/** The fields an error frame and a failed terminal chunk share, as the client names them. */
export interface GatewayErrorFields {
  readonly code: number;
  /** The stable name: a server `ErrorName` or a `ClientErrorName`. */
  readonly error: string;
  readonly message: string;
  readonly human: string;
  readonly details?: Record<string, unknown>;
  /** Seconds to wait before trying again (`rate_limited`, `busy`, …). */
  readonly retryAfter?: number;
  /** The request's `_seq`, once one was assigned. */
  readonly seq?: number;
}

function retryAfterOf(body: ErrorBody): number | undefined {
  if (typeof body.retry_after === "number") return body.retry_after;
  const nested = body.details?.retry_after;
  return typeof nested === "number" ? nested : undefined;
}

/** Why a gateway request failed: a server `error` frame or a client-side failure. */
export class GatewayRequestError extends Error implements GatewayErrorFields {
  override readonly name = "GatewayRequestError";
  readonly code: number;
  readonly error: string;
  readonly human: string;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfter: number | undefined;
  readonly seq: number | undefined;

  constructor(fields: GatewayErrorFields, options?: { cause?: unknown }) {
    super(fields.message, options);
    this.code = fields.code;
    this.error = fields.error;
    this.human = fields.human;
    this.details = fields.details;
    this.retryAfter = fields.retryAfter;
    this.seq = fields.seq;
  }

  /** Whether a request that is safe to repeat may be sent again after `retryAfter`. */
  get retryable(): boolean {
    return RETRYABLE_ERRORS.has(this.error);
  }

  /** Every field as a plain object, e.g. for a Redux action (which must stay serialisable). */
  toFields(): GatewayErrorFields {
    const fields: {
      -readonly [K in keyof GatewayErrorFields]: GatewayErrorFields[K];
    } = { code: this.code, error: this.error, message: this.message, human: this.human };
    if (this.details !== undefined) fields.details = this.details;
    if (this.retryAfter !== undefined) fields.retryAfter = this.retryAfter;
    if (this.seq !== undefined) fields.seq = this.seq;
    return fields;
  }

  /** From the body of an `error` frame or of a failed terminal `pool_response`. */
  static fromBody(body: ErrorBody, seq?: number): GatewayRequestError {
    return new GatewayRequestError({
      code: body.code,
      error: body.error,
      message: body.message,
      human: body.human,
      details: body.details,
      retryAfter: retryAfterOf(body),
      seq,
    });
  }

  /** A server-named failure the client reports (e.g. a refused elevation, as `invalid_token`). */
  static server(
    name: ErrorName,
    message: string,
    extra: { seq?: number; details?: Record<string, unknown> } = {},
  ): GatewayRequestError {
    return new GatewayRequestError({
      code: ErrorCode[name],
      error: name,
      message,
      human: ERROR_HUMAN[name],
      details: extra.details,
      seq: extra.seq,
    });
  }

  /** A failure the client detected itself (`code: 0`, or 422 for `invalid_payload`). */
  static client(
    name: ClientErrorName,
    message: string,
    extra: { seq?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ): GatewayRequestError {
    return new GatewayRequestError(
      {
        code: name === "invalid_payload" ? ErrorCode.invalid_payload : 0,
        error: name,
        message,
        human: CLIENT_HUMAN[name],
        details: extra.details,
        seq: extra.seq,
      },
      extra.cause === undefined ? undefined : { cause: extra.cause },
    );
  }
}
