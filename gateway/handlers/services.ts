import type { AccessPolicy } from "../access/access_policy.ts";
import type { Principal, Verifier } from "../auth/mod.ts";
import type { Backend } from "../backend/backend.ts";
import type { GatewayConfig } from "../config.ts";
import type { Connection } from "../connection/connection.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import type { PoolAnswerCache } from "../pools/mod.ts";
import type { GuildStreams } from "../streams/guild_streams.ts";

/** Why a connection lost its elevation. */
export type DemoteReason = "expired" | "signed_out";

/** Elevating and demoting connections: the node's connection registry does it. */
export interface Elevation {
  /** Elevates a connection and moves it into its authenticated room. */
  elevate(connection: Connection, principal: Principal): void;
  /** Demotes a connection to the unauthenticated room and tells it why. */
  demote(connection: Connection, reason: DemoteReason): Promise<void>;
}

/** Sign-in nonces the REST API registered over `gateway_rpc`, usable on any node. */
export interface NonceClaims {
  /** The token registered under `nonce`, at most once; null when unknown, used or expired. */
  claim(nonce: string): Promise<string | null>;
}

/** What request handlers may use; the node builds it once. */
export interface Services {
  readonly config: GatewayConfig;
  readonly backend: Backend;
  readonly verifier: Verifier;
  readonly diagnostics: Diagnostics;
  readonly access: AccessPolicy;
  readonly streams: GuildStreams;
  readonly elevation: Elevation;
  /** Whole guild pools, serialised once and shared while fresh. */
  readonly pools: PoolAnswerCache;
  /** Decides a spectator's access again (re-elevation re-checks). */
  readonly accessWatch: { recheck(connection: Connection): Promise<void> };
  /** The node's outbound budget: expensive work is refused with `overloaded` above it. */
  readonly budget: { admitExpensive(): void };
  /** Nonces for `request_elevation {nonce}`. */
  readonly nonces: NonceClaims;
}
