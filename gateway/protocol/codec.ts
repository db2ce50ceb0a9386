// This module is browser-compatible.
import type * as z from "./_zod.ts";
import { CLIENT_FRAMES, type ClientEventName, type ClientFrame } from "./client_frames.ts";
import type { ErrorBody, ServerFrame } from "./server_frames.ts";
import { ERROR_HUMAN, ErrorCode, type ErrorName } from "./error_codes.ts";

/** The outcome of decoding one client text frame. */
export type DecodeResult =
  | { readonly ok: true; readonly frame: ClientFrame }
  | {
    readonly ok: false;
    readonly seq: number | undefined;
    /** The frame's `_event` when it names a known event. */
    readonly event?: ClientEventName;
    readonly error: ErrorBody;
  };

/** Builds the body of an error frame with the default human text. */
export function errorBody(
  name: ErrorName,
  message: string,
  extra: { details?: Record<string, unknown>; human?: string; retry_after?: number } = {},
): ErrorBody {
  const body: ErrorBody = {
    code: ErrorCode[name],
    error: name,
    message,
    human: extra.human ?? ERROR_HUMAN[name],
  };
  if (extra.details !== undefined) body.details = extra.details;
  if (extra.retry_after !== undefined) body.retry_after = extra.retry_after;
  return body;
}

function fail(seq: number | undefined, name: ErrorName, message: string, details?: object) {
  return {
    ok: false as const,
    seq,
    error: errorBody(name, message, details ? { details: { ...details } } : {}),
  };
}

function issuesOf(error: z.core.$ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 5).map((issue) => ({
    path: issue.path.map(String).join(".").slice(0, 100),
    message: issue.message.slice(0, 200),
  }));
}

/** The request id of a parsed frame, when it is a valid one. */
function seqOf(record: Record<string, unknown>): number | undefined {
  const raw = record._seq;
  return typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
}

/**
 * The `_event` and `_seq` of a text frame, read without validating the rest:
 * enough to name the request in a refusal decided before decoding (the rate
 * limit), so even a refused request ends with its own terminal frame.
 */
export function peekEnvelope(text: string): { event?: string; seq?: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const record = value as Record<string, unknown>;
  const event = typeof record._event === "string" ? record._event : undefined;
  return { event, seq: seqOf(record) };
}

/**
 * Decodes one client text frame. This is the only place client input is
 * parsed. It never throws: any failure becomes an error body, with the
 * frame's `_seq` when one could be read, so the caller can answer it.
 */
export function decodeClientFrame(text: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(undefined, "bad_frame", "frame is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(undefined, "bad_frame", "frame must be a JSON object");
  }
  const record = value as Record<string, unknown>;
  const seq = seqOf(record);
  const event = record._event;
  if (typeof event !== "string") {
    return fail(seq, "bad_frame", "frame has no string `_event`");
  }
  if (!Object.hasOwn(CLIENT_FRAMES, event)) {
    return fail(seq, "unknown_event", "unknown event", { event: event.slice(0, 64) });
  }
  const schema = CLIENT_FRAMES[event as keyof typeof CLIENT_FRAMES];
  const parsed = schema.safeParse(record);
  if (!parsed.success) {
    return {
      ...fail(seq, "invalid_payload", `invalid ${event} payload`, {
        event,
        issues: issuesOf(parsed.error),
      }),
      event: event as ClientEventName,
    };
  }
  return { ok: true, frame: parsed.data as ClientFrame };
}

/** Serialises a server frame. */
export function encodeServerFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}
