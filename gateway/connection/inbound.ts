import {
  type ClientFrame,
  CloseCode,
  decodeClientFrame,
  errorBody,
  peekEnvelope,
} from "../protocol/mod.ts";
import type { Connection } from "./connection.ts";
import { refusalFrame } from "./refusal.ts";

/** What the inbound pipeline counts (exported as metrics). */
export interface InboundCounters {
  framesIn: number;
  bytesIn: number;
  rateLimited: number;
  badFrames: number;
  /** Requests refused because the connection had too many in flight. */
  busy: number;
}

export interface InboundOptions {
  /** Frames above this many bytes close the connection (1009). */
  readonly maxFrameBytes: number;
  /** Requests in flight per connection; one more is refused with `busy`. */
  readonly maxInFlight: number;
  /** True while the node drains: new requests are refused with `draining`. */
  readonly draining: () => boolean;
  readonly counters: InboundCounters;
  /** Runs one decoded request. */
  readonly dispatch: (connection: Connection, frame: ClientFrame) => void;
}

const encoder = new TextEncoder();

/** How long an abusive connection's requests already under way may take before the close. */
const ABUSE_GRACE_MS = 1000;

/**
 * What happens to every inbound frame, in order: the size limit, the rate
 * limit, decoding (the protocol codec is the only parser of client input),
 * the node's and the connection's capacity, then dispatch. A request refused
 * on the way still ends: with its own terminal frame carrying its `seq` (a
 * finished `pool_response` for pool requests), or with a documented close.
 */
export class InboundPipeline {
  readonly #options: InboundOptions;

  constructor(options: InboundOptions) {
    this.#options = options;
  }

  /** Handles one inbound frame. Never throws. */
  receive(connection: Connection, data: string | Uint8Array): void {
    if (connection.closed || connection.inputStopped) return;
    const { counters, maxFrameBytes } = this.#options;
    counters.framesIn++;
    if (typeof data !== "string") {
      const size = data.byteLength;
      counters.bytesIn += size;
      if (size > maxFrameBytes) return this.#tooBig(connection, size);
      if (!this.#admit(connection, undefined)) return;
      counters.badFrames++;
      connection.send({
        _event: "error",
        ...errorBody("bad_frame", "binary frames are not supported; send JSON text frames"),
      });
      return;
    }
    counters.bytesIn += data.length;
    if (data.length > maxFrameBytes) return this.#tooBig(connection, data.length);
    if (data.length * 3 > maxFrameBytes) {
      const bytes = encoder.encode(data).byteLength;
      if (bytes > maxFrameBytes) return this.#tooBig(connection, bytes);
    }
    if (!this.#admit(connection, data)) return;
    const decoded = decodeClientFrame(data);
    if (!decoded.ok) {
      counters.badFrames++;
      connection.send(refusalFrame(decoded.event, decoded.seq, decoded.error));
      return;
    }
    const frame = decoded.frame;
    connection.markActive();
    if (this.#options.draining()) {
      connection.send(
        refusalFrame(frame._event, frame._seq, errorBody("draining", "node is restarting")),
      );
      return;
    }
    if (connection.pendingCount >= this.#options.maxInFlight) {
      counters.busy++;
      const body = errorBody("busy", "too many requests in flight", {
        details: { max_in_flight: this.#options.maxInFlight },
      });
      connection.send(refusalFrame(frame._event, frame._seq, body));
      return;
    }
    this.#options.dispatch(connection, frame);
  }

  #tooBig(connection: Connection, size: number): void {
    const limit = this.#options.maxFrameBytes;
    connection.log.info("frame over the size limit", { size, limit });
    connection.terminate(CloseCode.messageTooBig, "frame too large");
  }

  /**
   * Applies the rate limit; false when the frame must be dropped. A refused
   * text frame is answered as its request: the envelope is read (not
   * validated) for its `_event` and `_seq`.
   */
  #admit(connection: Connection, text: string | undefined): boolean {
    const admission = connection.inbound.admit();
    if (admission.ok) return true;
    this.#options.counters.rateLimited++;
    if (admission.abuse) {
      connection.log.info("closing: rate limit abuse");
      void connection.closeAfterPending(
        CloseCode.rateLimited,
        "rate limit exceeded",
        ABUSE_GRACE_MS,
      );
      return false;
    }
    const retryAfter = admission.retryAfter;
    const body = errorBody("rate_limited", "rate limit exceeded", {
      retry_after: retryAfter,
      details: { retry_after: retryAfter },
    });
    const { event, seq } = text === undefined ? {} : peekEnvelope(text);
    connection.send(refusalFrame(event, seq, body));
    return false;
  }
}
