// This module is browser-compatible.
import type { RetryOptions } from "./client_types.ts";
import type { ClientEventName, ServerFrame, ServerFrameOf } from "./protocol/mod.ts";
import type { GatewayRequestError } from "./request_error.ts";
import type { PoolChunk } from "./request_kinds.ts";

/** Where a request's outcome goes. */
export interface Sink {
  chunk(chunk: PoolChunk): void;
  done(frame: ServerFrame | undefined): void;
  fail(error: GatewayRequestError): void;
}

/** One request until its terminal frame, as the request table keeps it. */
export interface Entry {
  readonly seq: number;
  readonly event: ClientEventName;
  readonly frame: Record<string, unknown>;
  readonly pool: boolean;
  readonly idempotent: boolean;
  /** Sent by the client itself while restoring a connection. */
  readonly internal: boolean;
  readonly sink: Sink;
  readonly deadline: number;
  readonly retry: Required<RetryOptions> | null;
  retries: number;
  retryDelayMs: number;
  /** How many times the frame was written to a socket. */
  writes: number;
  /** Written on the current socket and not yet answered. */
  inFlight: boolean;
  /** Lost with its connection; to be written again when the next one opens. */
  resend: boolean;
  /** Keys of entities and missing ids already delivered, to drop repeats after a resend. */
  readonly seenData: Set<string>;
  readonly seenMissing: Set<string>;
  timer: ReturnType<typeof setTimeout> | undefined;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  detachSignal: (() => void) | undefined;
}

const SOCKET_OPEN = 1;

function entityKey(entity: unknown): string {
  if (typeof entity === "object" && entity !== null) {
    const id = (entity as { id?: unknown }).id;
    if (typeof id === "string") return `#${id}`;
  }
  return `~${JSON.stringify(entity)}`;
}

export function retryPolicy(
  option: boolean | RetryOptions | undefined,
): Required<RetryOptions> | null {
  if (option === undefined || option === false) return null;
  const given = option === true ? {} : option;
  return { attempts: given.attempts ?? 3, maxDelayMs: given.maxDelayMs ?? 5_000 };
}

/** Writes a frame; false when the socket is not open or refuses it. */
export function writeText(socket: WebSocket, text: string): boolean {
  if (socket.readyState !== SOCKET_OPEN) return false;
  try {
    socket.send(text);
    return true;
  } catch {
    return false;
  }
}

/** Drops what an earlier attempt of a re-sent pool request already delivered. */
export function freshChunk(entry: Entry, frame: ServerFrameOf<"pool_response">): PoolChunk {
  const resent = entry.writes > 1;
  const data: unknown[] = [];
  for (const item of frame.data) {
    const key = entityKey(item);
    if (resent && entry.seenData.has(key)) continue;
    entry.seenData.add(key);
    data.push(item);
  }
  const nonexistent: string[] = [];
  for (const id of frame.nonexistent) {
    if (resent && entry.seenMissing.has(id)) continue;
    entry.seenMissing.add(id);
    nonexistent.push(id);
  }
  return { data, nonexistent, finished: frame.finished };
}
