// This module is browser-compatible.
import { type ClientCore, emitFrame } from "./client_core.ts";
import { checkServerFrame, type ServerFrame } from "./protocol/mod.ts";
import type { Restorer } from "./restorer.ts";

const RAW_LIMIT = 4096;

/**
 * Every frame the gateway sends, in order: checked against the protocol,
 * then handed to the request it answers (by `seq`) or, for pushes, applied
 * (log resume points, demotion, spectate changes) and told to listeners.
 */
export class Inbound {
  readonly #core: ClientCore;
  readonly #restorer: Restorer;

  constructor(core: ClientCore, restorer: Restorer) {
    this.#core = core;
    this.#restorer = restorer;
  }

  receive(data: unknown): void {
    if (typeof data !== "string") {
      return this.#malformed("binary frame; the gateway speaks JSON text", "");
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return this.#malformed("not JSON", data);
    }
    const checked = checkServerFrame(value);
    if (!checked.ok) {
      this.#malformed(checked.reason, data);
      // Waiting for a request whose answer was unreadable would only end in a timeout.
      const seq = (value as { seq?: unknown } | null)?.seq;
      if (typeof seq === "number") this.#core.requests.unreadable(seq, checked.reason);
      return;
    }
    const frame = checked.frame;
    const seq = "seq" in frame ? frame.seq : undefined;
    if (seq !== undefined) return this.#core.requests.receive(frame, seq);
    this.#push(frame);
  }

  /** What every answer teaches the client, before its caller hears of it. */
  answered(frame: ServerFrame, request: Record<string, unknown>, restoring: boolean): void {
    const core = this.#core;
    core.session.note(frame);
    if (frame._event === "spectate_return") core.spectate.accepted(frame, request, restoring);
    if (frame._event === "logs_response" && request.filter === undefined) {
      // The newest unfiltered history the page holds is a resume point too.
      const newest = frame.events[0];
      if (newest !== undefined) core.cursor.note(frame.guild_id, newest.id);
    }
  }

  #push(frame: ServerFrame): void {
    const core = this.#core;
    switch (frame._event) {
      case "log_other": {
        const fresh = core.cursor.fresh(frame);
        if (fresh === null) return;
        frame = fresh;
        break;
      }
      case "demoted":
        this.#restorer.demoted(frame.reason);
        break;
      case "spectate_ended":
        core.spectate.ended(frame);
        break;
      case "access_changed":
        core.spectate.changed(frame);
        break;
    }
    emitFrame(core, frame);
  }

  #malformed(reason: string, raw: string): void {
    this.#core.events.emit("malformed", { reason, raw: raw.slice(0, RAW_LIMIT) });
  }
}
