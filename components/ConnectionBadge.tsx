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

/** The connection state in the channel header; "preview" before the island is live. */
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
      <span class="conn-label">{LABELS[status]}</span>
    </span>
  );
}
