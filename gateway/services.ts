import type { Principal, TokenVerifier } from "./auth/mod.ts";
import type { Backend } from "./backend/backend.ts";
import type { GatewayConfig } from "./config.ts";
import type { Diagnostics } from "./diagnostics.ts";
import type { Access } from "./protocol/mod.ts";
import type { Hub } from "./rooms/hub.ts";
import type { Session } from "./session/session.ts";
import type { LogRelay } from "./logs/log_relay.ts";

/** What request handlers may use; the `Gateway` provides it. */
export interface Services {
  readonly config: GatewayConfig;
  readonly backend: Backend;
  readonly hub: Hub;
  readonly verifier: TokenVerifier;
  readonly diagnostics: Diagnostics;
  readonly logs: LogRelay;
  /** Elevates a connection and moves it into its authenticated room. */
  elevate(session: Session, principal: Principal): void;
  /** Demotes a connection to the unauthenticated room and tells it why. */
  demote(session: Session, reason: "expired" | "signed_out"): Promise<void>;
  /** True for Architus staff (`ARCHITUS_ADMIN_IDS`). */
  isStaff(userId: string): boolean;
  /** The tier and permissions of `principal` in a guild, from the backend. */
  access(principal: Principal, guildId: string, signal: AbortSignal): Promise<Access>;
}
