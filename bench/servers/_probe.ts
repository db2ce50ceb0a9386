/**
 * The server-side half of the latency: publish → frame handed to the
 * socket (`socket.send`), for the frames of a sample of connections, so that
 * the receivers' own queueing can be told apart. The runner arms it with the
 * step's measurement window, like the receivers.
 *
 * @module
 */
import { Histogram } from "../shared/histogram.mjs";
import { nowMs } from "../shared/log_events.mjs";
import { forEachSent } from "../shared/recorder.mjs";

export class SendProbe {
  #hist = new Histogram();
  #from = 0;
  #to = 0;

  arm(window: { t0: number; warmMs: number; measureMs: number }): void {
    this.#hist = new Histogram();
    this.#from = window.t0 + window.warmMs;
    this.#to = this.#from + window.measureMs;
  }

  /** A frame is being handed to a sampled connection's socket. */
  frame(text: string): void {
    const now = nowMs();
    forEachSent(text, (sent) => {
      if (sent >= this.#from && sent < this.#to) this.#hist.add(now - sent);
    });
  }

  snapshot() {
    return this.#hist.toJSON();
  }
}
