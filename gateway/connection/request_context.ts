import type { Principal } from "../auth/mod.ts";
import type { ClientEventName, ClientFrameOf, ServerFrame } from "../protocol/mod.ts";
import { GatewayError } from "../errors.ts";
import type { Connection } from "./connection.ts";
import { refusalFrame } from "./refusal.ts";

/**
 * One request being answered. It guarantees the protocol's rule that a
 * request ends with exactly one terminal frame: `finish` or `fail` sends
 * it, later calls are ignored, and the dispatcher fails any request that a
 * handler left unanswered.
 */
export class RequestContext<E extends ClientEventName = ClientEventName> {
  readonly event: E;
  readonly frame: ClientFrameOf<E>;
  readonly seq: number | undefined;
  readonly connection: Connection;
  /** Who the request acts for: the connection's elevation, or the request's own token. */
  readonly principal: Principal | null;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
  #done = false;

  constructor(
    options: {
      event: E;
      frame: ClientFrameOf<E>;
      connection: Connection;
      principal: Principal | null;
      signal: AbortSignal;
    },
  ) {
    this.event = options.event;
    this.frame = options.frame;
    this.seq = (options.frame as { _seq?: number })._seq;
    this.connection = options.connection;
    this.principal = options.principal;
    this.signal = options.signal;
  }

  get done(): boolean {
    return this.#done;
  }

  /** The principal, or a `not_authenticated` error. */
  requirePrincipal(): Principal {
    if (this.principal === null) {
      throw new GatewayError("not_authenticated", `${this.event} needs an elevated connection`);
    }
    return this.principal;
  }

  /** Sends a non-terminal frame (a pool chunk). */
  chunk(frame: ServerFrame): void {
    if (!this.#done) this.connection.send(frame);
  }

  /** Sends an already serialised non-terminal frame. */
  chunkText(text: string): void {
    if (!this.#done) this.connection.sendText(text);
  }

  /** Sends an already serialised terminal frame. */
  finishText(text: string): void {
    if (this.#done) return;
    this.#done = true;
    this.connection.sendText(text);
  }

  /** Sends the terminal frame. */
  finish(frame: ServerFrame): void {
    if (this.#done) return;
    this.#done = true;
    this.connection.send(frame);
  }

  /**
   * Ends the request with an error. Pool requests end with a terminal
   * `pool_response` carrying the error, because the archit.us client only
   * stops waiting on `finished: true`; everything else gets an `error` frame.
   */
  fail(error: GatewayError, nonexistent: readonly string[] = []): void {
    this.finish(refusalFrame(this.event, this.seq, error.toBody(), nonexistent));
  }
}
