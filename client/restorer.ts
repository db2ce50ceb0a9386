// This module is browser-compatible.
import type { ClientCore } from "./client_core.ts";
import type { ClientEventName, ServerFrame, ServerFrameOf } from "./protocol/mod.ts";
import { GatewayRequestError } from "./request_error.ts";
import type { RequestPayload } from "./request_kinds.ts";

type SpectateReturn = ServerFrameOf<"spectate_return">;

/**
 * Brings a connection back to where the client's last one was: elevation
 * (token, else the cookie, which `session` reports on), then the spectated
 * guild with its log stream resumed after the newest event seen; and
 * re-elevates when the gateway says a token expired. Its requests are
 * written on the given socket at once, past the queue, and are never
 * re-sent on another one: the next connection restores afresh.
 */
export class Restorer {
  readonly #core: ClientCore;

  constructor(core: ClientCore) {
    this.#core = core;
  }

  async session(socket: WebSocket): Promise<void> {
    const core = this.#core;
    let token: string | undefined;
    try {
      token = await core.session.token();
    } catch {
      // A failing token source leaves the cookie, which `session` reports on.
      token = undefined;
    }
    if (core.socket() !== socket) return;
    if (token !== undefined) {
      try {
        const answer = await this.#send(socket, "request_elevation", { token });
        if ((answer as ServerFrameOf<"elevation_return">).result) return;
      } catch {
        // Fall through: the cookie may still elevate the connection.
      }
      if (core.socket() !== socket) return;
    }
    try {
      await this.#send(socket, "session", {});
    } catch {
      // A gateway that cannot answer `session` leaves the connection unelevated.
      core.session.clear();
    }
  }

  /** Spectates the kept guild again, unless a spectate of the app stands for it. */
  async spectate(socket: WebSocket): Promise<SpectateReturn | undefined> {
    const core = this.#core;
    const payload = core.spectate.restorePayload();
    if (payload === null) return undefined;
    // Waiting for a re-elevation: spectating unelevated would only be refused.
    if (core.spectate.suspended && !core.session.elevated) return undefined;
    // A caller's spectate still waiting for the same guild (or to leave) is
    // re-sent itself; a second one here would replay the same logs twice.
    const guildId = payload.guild_id;
    const standing = core.requests.some((event, frame) =>
      event === "spectate" && (frame.guild_id === guildId || frame.guild_id === null)
    );
    if (standing) return undefined;
    try {
      return await this.#send(socket, "spectate", payload) as SpectateReturn;
    } catch (error) {
      core.spectate.refused(guildId, error);
      return undefined;
    }
  }

  /** Signed out or expired: re-elevate with a fresh token when possible, else say so. */
  demoted(reason: "expired" | "signed_out"): void {
    const core = this.#core;
    core.session.clear();
    const renew = reason === "expired" && core.session.renewable;
    core.spectate.demoted(reason, renew);
    if (!renew) {
      core.session.forgetToken();
      const message = reason === "expired" ? "the token expired" : "the user signed out";
      const error = GatewayRequestError.server("not_authenticated", message);
      core.events.emit("elevation_lost", { reason, error });
      return;
    }
    const socket = core.socket();
    if (socket !== null) void this.#reelevate(socket, reason);
  }

  async #reelevate(socket: WebSocket, reason: "expired" | "signed_out"): Promise<void> {
    const core = this.#core;
    let error: GatewayRequestError;
    try {
      const token = await core.session.token();
      if (token === undefined) {
        throw GatewayRequestError.client("no_token", "no token to renew with");
      }
      if (core.socket() !== socket) return;
      const answer = await this.#send(socket, "request_elevation", { token });
      if (answer._event === "elevation_return" && answer.result) {
        await this.spectate(socket);
        return;
      }
      const message = answer._event === "elevation_return" ? answer.message : "refused";
      error = GatewayRequestError.server("invalid_token", message);
    } catch (failure) {
      // A dropped connection is restored (and re-elevated) by the reconnect.
      if (core.socket() !== socket) return;
      error = failure instanceof GatewayRequestError
        ? failure
        : GatewayRequestError.client("no_token", "the token function failed", { cause: failure });
    }
    core.events.emit("elevation_lost", { reason, error });
  }

  #send<E extends ClientEventName>(
    socket: WebSocket,
    event: E,
    payload: RequestPayload<E>,
  ): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      this.#core.requests.issue(event, payload, {}, {
        chunk: () => {},
        done: (frame) => resolve(frame as ServerFrame),
        fail: reject,
      }, socket);
    });
  }
}
