// This module is browser-compatible.
import { useEffect, useState } from "preact/hooks";
import { type ConnectionState, GatewayClient } from "../client/mod.ts";

/** How the demo describes its connection. */
export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

export interface GatewayConnection {
  /** Null until the island has hydrated: the server never connects. */
  readonly client: GatewayClient | null;
  readonly status: ConnectionStatus;
  /** Not connected for longer than `UNREACHABLE_AFTER_MS`: time to tell the visitor. */
  readonly unreachable: boolean;
  /** Retries at once instead of waiting for the backoff (`reconnectNow()`). */
  retry(): void;
}

/** A blip shorter than this goes unannounced. */
const UNREACHABLE_AFTER_MS = 1500;

function statusOf(state: ConnectionState, online: boolean): ConnectionStatus {
  if (state === "open") return "connected";
  if (state === "closed" || !online) return "offline";
  return state === "reconnecting" ? "reconnecting" : "connecting";
}

function browserOnline(): boolean {
  return (globalThis.navigator as { onLine?: boolean } | undefined)?.onLine ?? true;
}

/** One gateway connection for the island's lifetime, with its state as the visitor sees it. */
export function useGateway(path: string): GatewayConnection {
  const [client, setClient] = useState<GatewayClient | null>(null);
  const [state, setState] = useState<ConnectionState>("idle");
  const [online, setOnline] = useState(true);
  const [unreachable, setUnreachable] = useState(false);

  useEffect(() => {
    // The library's backoff (250 ms to 2 s, decorrelated): back within ~2 s of a restarted node.
    const gateway = new GatewayClient({ url: path });
    const off = gateway.onState((next) => setState(next));
    const wentOnline = () => {
      setOnline(true);
      // The network is back: no reason to sit out the rest of the backoff.
      gateway.reconnectNow();
    };
    const wentOffline = () => setOnline(false);
    globalThis.addEventListener("online", wentOnline);
    globalThis.addEventListener("offline", wentOffline);
    setOnline(browserOnline());
    setClient(gateway);
    // In a task of its own: opening a socket takes the browser a few milliseconds,
    // and the effects that run alongside this one (the whole island's) add up.
    const opening = setTimeout(() => gateway.connect(), 0);
    return () => {
      clearTimeout(opening);
      off();
      globalThis.removeEventListener("online", wentOnline);
      globalThis.removeEventListener("offline", wentOffline);
      void gateway.close();
    };
  }, [path]);

  const connected = state === "open";
  useEffect(() => {
    if (connected) {
      setUnreachable(false);
      return;
    }
    const timer = setTimeout(() => setUnreachable(true), UNREACHABLE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [connected]);

  return {
    client,
    status: client === null ? "connecting" : statusOf(state, online),
    unreachable: client !== null && !connected && unreachable,
    retry: () => client?.reconnectNow(),
  };
}
