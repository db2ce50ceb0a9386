// This module is browser-compatible.
import type {
  ClientEventMap,
  SpectateTarget,
  SubscribedEvent,
  Subscription,
  UnsubscribedReason,
} from "./client_types.ts";
import type { Emitter } from "./listeners.ts";
import type { LogCursor } from "./log_cursor.ts";
import { compareIds, type ServerFrameOf } from "./protocol/mod.ts";
import { GatewayRequestError } from "./request_error.ts";
import type { RequestPayload } from "./request_kinds.ts";

/** Refusals that mean "never", so the guild is not spectated again by itself. */
const FINAL_REFUSALS: ReadonlySet<string> = new Set(["not_a_member", "not_found", "forbidden"]);

/**
 * The guild the client keeps spectating: what the app last asked for and
 * the gateway accepted, what the gateway granted, and whether the gateway
 * ended it (a demotion) so it waits for the next elevation. A refused
 * spectate of another guild leaves it as it was, as the gateway does.
 */
export class SpectateKeeper {
  readonly #cursor: LogCursor;
  readonly #events: Emitter<ClientEventMap>;
  #target: SpectateTarget | null = null;
  #subscription: Subscription | null = null;
  /** The gateway ended the spectate; restore it once elevated again. */
  #suspended = false;

  constructor(cursor: LogCursor, events: Emitter<ClientEventMap>) {
    this.#cursor = cursor;
    this.#events = events;
  }

  get target(): SpectateTarget | null {
    return this.#target;
  }

  get subscription(): Subscription | null {
    return this.#subscription;
  }

  get suspended(): boolean {
    return this.#suspended;
  }

  /** The spectate that restores the target, resuming logs after the newest event seen. */
  restorePayload(): RequestPayload<"spectate"> | null {
    const target = this.#target;
    if (target === null) return null;
    const payload: RequestPayload<"spectate"> = {
      guild_id: target.guildId,
      include_logs: target.includeLogs,
    };
    const since = target.includeLogs ? this.#cursor.last(target.guildId) : undefined;
    if (since !== undefined) payload.since = since;
    return payload;
  }

  /** A re-sent spectate asks for logs after the newest event already seen. */
  resumed(frame: Record<string, unknown>): Record<string, unknown> {
    const guildId = frame.guild_id;
    if (frame.include_logs !== true || typeof guildId !== "string") return frame;
    const last = this.#cursor.last(guildId);
    if (last === undefined) return frame;
    const since = frame.since;
    if (typeof since === "string" && compareIds(since, last) >= 0) return frame;
    return { ...frame, since: last };
  }

  /** The gateway accepted a spectate (the app's or a restore). */
  accepted(
    answer: ServerFrameOf<"spectate_return">,
    request: Record<string, unknown>,
    restored: boolean,
  ): void {
    if (answer.guild_id === null) {
      this.#leave("left", false);
      return;
    }
    this.#target = { guildId: answer.guild_id, includeLogs: request.include_logs === true };
    this.#suspended = false;
    this.#subscription = {
      guildId: answer.guild_id,
      tier: answer.tier,
      permissions: answer.permissions,
      categories: answer.categories,
      logs: answer.logs,
    };
    const since = typeof request.since === "string" ? request.since : undefined;
    const event: SubscribedEvent = {
      ...this.#subscription,
      restored,
      since,
      recovered: since === undefined ? undefined : answer.recovered,
      replayed: since === undefined ? undefined : answer.replayed,
    };
    this.#events.emit("subscribed", event);
  }

  /** The gateway refused a spectate of `guildId`; only a final "no" for the target forgets it. */
  refused(guildId: string | null, error: unknown): void {
    if (!(error instanceof GatewayRequestError) || !FINAL_REFUSALS.has(error.error)) return;
    if (guildId === null || this.#target?.guildId !== guildId) return;
    this.#leave(error.error as UnsubscribedReason, false);
  }

  /** `spectate_ended`: after `not_a_member` the guild is never restored silently. */
  ended(frame: ServerFrameOf<"spectate_ended">): void {
    if (this.#target?.guildId !== frame.guild_id) return;
    if (frame.reason === "not_a_member") {
      this.#leave("not_a_member", false);
    } else {
      // Not confirmed in time: worth another try on the next reconnect or elevation.
      this.#suspend("access_unverified", true);
    }
  }

  /** `access_changed`: the guild is still watched, with other rights. */
  changed(frame: ServerFrameOf<"access_changed">): void {
    if (this.#subscription?.guildId !== frame.guild_id) return;
    this.#subscription = {
      guildId: frame.guild_id,
      tier: frame.tier,
      permissions: frame.permissions,
      categories: frame.categories,
      logs: frame.logs,
    };
  }

  /**
   * `demoted`: the gateway left the guild. After a sign-out the guild is
   * forgotten; after an expiry it waits for the next elevation
   * (`willRestore` when the client can re-elevate by itself).
   */
  demoted(reason: "expired" | "signed_out", willRestore: boolean): void {
    if (reason === "signed_out") this.#leave("demoted", false);
    else this.#suspend("demoted", willRestore);
  }

  #suspend(reason: UnsubscribedReason, willRestore: boolean): void {
    const target = this.#target;
    if (target === null) return;
    this.#suspended = true;
    this.#subscription = null;
    this.#events.emit("unsubscribed", { guildId: target.guildId, reason, willRestore });
  }

  #leave(reason: UnsubscribedReason, willRestore: boolean): void {
    const target = this.#target;
    this.#target = null;
    this.#subscription = null;
    this.#suspended = false;
    if (target !== null) {
      this.#events.emit("unsubscribed", { guildId: target.guildId, reason, willRestore });
    }
  }
}
