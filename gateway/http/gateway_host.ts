import type { Principal, Verifier } from "../auth/mod.ts";
import type { GatewayConfig } from "../config.ts";
import type { Connection } from "../connection/connection.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import type { Transport } from "../transport/mod.ts";

/** What a node's readiness probe reports. */
export interface Readiness {
  readonly ready: boolean;
  readonly bus: boolean;
  /** The backend's cached health (it decides readiness only when configured to). */
  readonly backend: boolean;
  readonly draining: boolean;
  /** The last probe of every backend target (shard queue). */
  readonly shards?: Record<string, { ok: boolean; checked_ms_ago: number; latency_ms: number }>;
}

/**
 * What the HTTP layer needs of a node (the `Gateway` is one): it admits
 * upgrades, hands each connection's frames over, and answers the probes.
 * Declared here so the HTTP glue depends on nothing of the node itself.
 */
export interface GatewayHost {
  readonly config: Pick<
    GatewayConfig,
    "production" | "allowedOrigins" | "maxFrameBytes" | "connections"
  >;
  readonly verifier: Verifier;
  readonly diagnostics: Diagnostics;
  /** False once the node stops taking connections (it is closing them). */
  readonly accepting: boolean;
  /** Whether a connection from `peer` may open: yes, or which cap it hit. */
  admission(peer: string): "ok" | "node_full" | "peer_full";
  open(transport: Transport, principal: Principal | null, peer?: string): Connection;
  receive(connection: Connection, data: string | Uint8Array): void;
  close(connection: Connection, code?: number): Promise<void>;
  /** Counts an upgrade refused here, by reason (metrics). */
  refusedUpgrade(reason: string): void;
  /** The readiness probe's answer: local, cached, immediate. */
  ready(): Readiness;
}
