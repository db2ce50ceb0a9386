// This module is browser-compatible.
import type { TokenSource } from "./client_types.ts";
import type { ServerFrame } from "./protocol/mod.ts";
import { GatewayRequestError } from "./request_error.ts";

/** Who the connection is, as the gateway last said, and the token to say it again with. */
export class SessionKeeper {
  readonly #source: TokenSource | undefined;
  /** A token passed to `elevate()` that worked; reused on reconnect when no option supplies one. */
  #given: string | undefined;
  elevated = false;
  userId: string | null = null;
  expiresAt: number | null = null;

  constructor(source: TokenSource | undefined) {
    this.#source = source;
  }

  /** Whether a fresh token can be asked for (the `token` option is a function). */
  get renewable(): boolean {
    return typeof this.#source === "function";
  }

  /**
   * The token to elevate with: the option's (asked afresh when it is a
   * function), else the last one given to `elevate()`. Rejects with
   * `no_token` when the function throws.
   */
  async token(): Promise<string | undefined> {
    const source = this.#source;
    if (typeof source !== "function") return source ?? this.#given;
    try {
      return (await source()) ?? undefined;
    } catch (error) {
      throw GatewayRequestError.client("no_token", "the token function failed", { cause: error });
    }
  }

  /** Keeps a token that elevated, for the next connection. */
  remember(token: string): void {
    this.#given = token;
  }

  /** Signed out or expired: the old token must not silently come back. */
  forgetToken(): void {
    this.#given = undefined;
  }

  /** Learns from `session_return` and `elevation_return`. */
  note(frame: ServerFrame): void {
    if (frame._event === "session_return") {
      this.elevated = frame.elevated;
      this.userId = frame.user_id;
      this.expiresAt = frame.expires_at;
    } else if (frame._event === "elevation_return" && frame.result) {
      this.elevated = true;
      this.userId = frame.user_id ?? this.userId;
      this.expiresAt = frame.expires_at ?? null;
    }
  }

  /** Elevation belongs to a connection: without one, nothing is elevated. */
  clear(): void {
    this.elevated = false;
    this.userId = null;
    this.expiresAt = null;
  }
}
