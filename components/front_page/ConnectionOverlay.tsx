// This module is browser-compatible.
import type { VNode } from "preact";
import type { ConnectionStatus } from "../../lib/use_gateway.ts";

/**
 * Covers the channel while the gateway is unreachable, so a visitor knows
 * why nothing answers. It goes away by itself when the connection is back.
 */
export function ConnectionOverlay(
  { status, onRetry }: { status: ConnectionStatus; onRetry: () => void },
): VNode {
  return (
    <div class="conn-overlay" role="alert" data-testid="connection-overlay">
      <div class="conn-overlay-card">
        <div class="conn-overlay-icon" aria-hidden="true">!</div>
        <h3>Can’t reach the Architus gateway</h3>
        <p>
          {status === "offline"
            ? "The connection is closed. The demo continues once it is back."
            : "Reconnecting… the demo pauses and picks up again by itself once the connection is back."}
        </p>
        <button type="button" class="button button-small" onClick={onRetry}>
          Retry now
        </button>
      </div>
    </div>
  );
}
