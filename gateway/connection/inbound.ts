import { type ClientFrame, CloseCode, decodeClientFrame, errorBody } from "../protocol/mod.ts";
import type { Connection } from "./connection.ts";
import { refusalFrame } from "./refusal.ts";

/** What the inbound pipeline counts (exported as metrics). */
export interface InboundCounters {
  framesIn: number;
  bytesIn: number;
  rateLimited: number;
  oversizeClosed: number;
  badFrames: number;
}

export interface InboundOptions {
  /** Frames above this many bytes close the connection (1009). */
  readonly maxFrameBytes: number;
  readonly counters: InboundCounters;
  /** Runs one decoded request. */
  readonly dispatch: (connection: Connection, frame: ClientFrame) => void;
}

const encoder = new TextEncoder();

/**
 * What happens to every inbound frame, in order: the size limit, the rate
 * limit, decoding (the protocol codec is the only parser of client input),
 * then dispatch. A frame refused on the way is answered with the request's
 * terminal frame, or closes the connection with a documented code.
 */
export class InboundPipeline {
  readonly #options: InboundOptions;

  constructor(options: InboundOptions) {
    this.#options = options;
  }

  /** Handles one inbound frame. Never throws. */
  receive(connection: Connection, data: string | ArrayBuffer | Blob | Uint8Array): void {
    if (connection.closed) return;
    const { counters, maxFrameBytes } = this.#options;
    counters.framesIn++;
    if (typeof data !== "string") {
      const size = data instanceof Blob ? data.size : data.byteLength;
      counters.bytesIn += size;
      if (size > maxFrameBytes) return this.#tooBig(connection, size);
      if (!this.#admit(connection)) return;
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
    if (!this.#admit(connection)) return;
    const decoded = decodeClientFrame(data);
    if (!decoded.ok) {
      counters.badFrames++;
      connection.send(refusalFrame(decoded.event, decoded.seq, decoded.error));
      return;
    }
    this.#options.dispatch(connection, decoded.frame);
  }

  #tooBig(connection: Connection, size: number): void {
    this.#options.counters.oversizeClosed++;
    const limit = this.#options.maxFrameBytes;
    connection.log.info("frame over the size limit", { size, limit });
    connection.terminate(CloseCode.messageTooBig, "frame too large");
  }

  /** Applies the rate limit; false when the frame must be dropped. */
  #admit(connection: Connection): boolean {
    const admission = connection.inbound.admit();
    if (admission.ok) return true;
    this.#options.counters.rateLimited++;
    if (admission.abuse) {
      connection.log.info("closing: rate limit abuse");
      connection.terminate(CloseCode.rateLimited, "rate limit exceeded");
      return false;
    }
    const retryAfter = admission.retryAfter;
    connection.send({
      _event: "error",
      ...errorBody("rate_limited", "rate limit exceeded", {
        retry_after: retryAfter,
        details: { retry_after: retryAfter },
      }),
    });
    return false;
  }
}
