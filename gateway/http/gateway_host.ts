import type { Principal, TokenVerifier } from "../auth/mod.ts";
import type { GatewayConfig } from "../config.ts";
import type { Connection } from "../connection/connection.ts";
import type { Diagnostics } from "../observability/diagnostics.ts";
import type { Transport } from "../transport/mod.ts";

/** What a node's readiness probe reports. */
export interface Readiness {
  readonly ready: boolean;
  readonly bus: boolean;
  readonly backend: boolean;
  readonly draining: boolean;
}

/**
 * What the HTTP layer needs of a node (the `Gateway` is one): it admits
 * upgrades, hands each connection's frames over, and answers the probes.
 * Declared here so the HTTP glue depends on nothing of the node itself.
 */
export interface GatewayHost {
  readonly config: Pick<
    GatewayConfig,
    "production" | "allowedOrigins" | "heartbeatSeconds" | "connections"
  >;
  readonly verifier: TokenVerifier;
  readonly diagnostics: Diagnostics;
  readonly draining: boolean;
  /** Whether a connection from `peer` may open: yes, or which cap it hit. */
  admission(peer: string): "ok" | "node_full" | "peer_full";
  open(transport: Transport, principal: Principal | null, peer?: string): Connection;
  receive(connection: Connection, data: string | ArrayBuffer | Blob | Uint8Array): void;
  close(connection: Connection): Promise<void>;
  ready(): Promise<Readiness>;
}
