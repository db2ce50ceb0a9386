// This module is browser-compatible.
import type { VNode } from "preact";
import type { ConnectionStatus } from "../lib/use_gateway.ts";

const LABELS: Readonly<Record<ConnectionStatus | "preview", string>> = {
  preview: "preview",
  connecting: "connecting",
  connected: "connected",
  reconnecting: "reconnecting",
  offline: "offline",
};

/**
 * The connection state in the channel header; "preview" before the island
 * is live. A polite live region: a screen reader hears when the connection
 * is lost and when it is back, said in full ("Gateway connection:
 * reconnecting"), never more often than the state changes.
 */
export function ConnectionBadge({ status }: { status: ConnectionStatus | "preview" }): VNode {
  return (
    <span
      class={`conn conn-${status}`}
      data-state={status}
      data-testid="connection-state"
      role="status"
      title={`Gateway: ${LABELS[status]}`}
    >
      <i class="conn-dot" aria-hidden="true" />
      <span class="sr-only">Gateway connection:</span>
      <span class="conn-label">{LABELS[status]}</span>
    </span>
  );
}
