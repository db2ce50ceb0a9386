/**
 * What the client flow tests share: a client with test settings, a socket
 * class that taps frames (and sends upgrade headers, as a browser sends its
 * cookies), the server's view of a client's session, and a node in front of
 * a slow backend double.
 */
import assert from "node:assert/strict";
import {
  type ConnectionState,
  GatewayClient,
  type GatewayClientOptions,
  GatewayRequestError,
  type PoolResult,
  type StateDetail,
} from "../../client/mod.ts";
import type { Connection as Session } from "../../gateway/connection/connection.ts";
import { MemoryBus } from "../../gateway/bus/mod.ts";
import { serveSlowBackend } from "./slow_backend.ts";
import { startTestNode, type TestNode, tokenFor, wsUrl } from "./node.ts";
import { waitFor } from "../../testing/wait_for.ts";

export function newClient(
  node: TestNode,
  options: Partial<GatewayClientOptions> = {},
): GatewayClient {
  return new GatewayClient({
    url: wsUrl(node),
    backoff: { baseMs: 20, maxMs: 200 },
    requestTimeoutMs: 5000,
    ...options,
  });
}

/** A token option that mints a fresh token for `userId` before every elevation. */
export function tokenOf(userId: string): () => Promise<string> {
  return () => tokenFor(userId);
}

/** Everything a `Tap` socket class saw, over all the sockets it created. */
export interface Tap {
  readonly WebSocket: typeof WebSocket;
  /** Every frame the client wrote, parsed. */
  readonly sent: Array<Record<string, unknown>>;
  /** Every frame the client received and let through, parsed. */
  readonly received: Array<Record<string, unknown>>;
  /** The sockets created, in order. */
  readonly sockets: WebSocket[];
  /**
   * When set, consulted for every incoming frame: returning false swallows
   * it (the client never sees it), as if the connection died before it.
   */
  filter: ((frame: Record<string, unknown>) => boolean) | undefined;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * A WebSocket class for the client's `WebSocket` option: a real Deno
 * WebSocket that sends `headers` with the upgrade (as a browser sends its
 * cookies), records frames in both directions and can swallow incoming ones.
 */
export function tapSocket(headers: Record<string, string> = {}): Tap {
  const tap: Tap = {
    WebSocket: undefined as unknown as typeof WebSocket,
    sent: [],
    received: [],
    sockets: [],
    filter: undefined,
  };
  const parse = (data: unknown): Record<string, unknown> =>
    typeof data === "string" ? JSON.parse(data) : { binary: true };
  class TapWebSocket extends WebSocket {
    readonly #wrapped = new Map<Listener, EventListener>();

    constructor(url: string | URL, _protocols?: string | string[]) {
      // Deno accepts `{ headers }` in place of the protocols.
      super(url, { headers } as unknown as string[]);
      tap.sockets.push(this);
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      tap.sent.push(parse(data));
      super.send(data);
    }

    override addEventListener(
      type: string,
      listener: Listener,
      options?: boolean | AddEventListenerOptions,
    ): void {
      if (type !== "message") {
        super.addEventListener(type, listener, options);
        return;
      }
      const wrapped: EventListener = (event) => {
        const frame = parse((event as MessageEvent).data);
        if (tap.filter !== undefined && !tap.filter(frame)) return;
        tap.received.push(frame);
        if (typeof listener === "function") listener.call(this, event);
        else listener.handleEvent(event);
      };
      this.#wrapped.set(listener, wrapped);
      super.addEventListener(type, wrapped, options);
    }

    override removeEventListener(
      type: string,
      listener: Listener,
      options?: boolean | EventListenerOptions,
    ): void {
      const wrapped = this.#wrapped.get(listener);
      super.removeEventListener(type, wrapped ?? listener, options);
    }
  }
  (tap as { WebSocket: typeof WebSocket }).WebSocket = TapWebSocket;
  return tap;
}

/** The one live server-side session, failing when there is not exactly one. */
export function onlySession(node: TestNode): Session {
  const sessions = [...node.gateway.connections];
  assert.equal(sessions.length, 1, `expected one server session, got ${sessions.length}`);
  return sessions[0] as Session;
}

/** Waits for a server session other than `not` elevated for `userId` and spectating `guildId`. */
export async function restoredSession(
  node: TestNode,
  userId: string,
  guildId: string,
  not?: Session,
): Promise<Session> {
  let found: Session | undefined;
  await waitFor(() => {
    found = [...node.gateway.connections].find((s) =>
      s !== not && s.principal?.userId === userId && s.spectating?.guildId === guildId
    );
    return found !== undefined;
  }, { message: `a session elevated for ${userId} spectating ${guildId}` });
  return found as Session;
}

/** Records every state change of a client. */
export function recordStates(client: GatewayClient): Array<[ConnectionState, StateDetail]> {
  const states: Array<[ConnectionState, StateDetail]> = [];
  client.onState((state, detail) => states.push([state, detail]));
  return states;
}

export async function rejection(promise: Promise<unknown>): Promise<GatewayRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayRequestError, `not a GatewayRequestError: ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

export function idsOf(result: PoolResult): string[] {
  return (result.data as Array<{ id: string }>).map((e) => e.id);
}

/** A node in front of a backend double that answers pool requests only after `delayMs`. */
export interface SlowSetup {
  readonly node: TestNode;
  /** Pool calls the double received. */
  readonly poolCalls: () => number;
  /** Shuts the node down, unserves the double and waits for its pending calls. */
  stop(): Promise<void>;
}

export async function startSlowNode(
  delayMs: number,
  env: Record<string, string> = {},
): Promise<SlowSetup> {
  const bus = new MemoryBus();
  await bus.start();
  const backend = await serveSlowBackend(bus, { delayMs, slow: (m) => m.startsWith("pool_") });
  let node: TestNode;
  try {
    node = await startTestNode({ NUM_SHARDS: "4", ...env }, { bus, embeddedBackend: false });
  } catch (error) {
    await backend.stop();
    await bus.shutdown();
    throw error;
  }
  return {
    node,
    poolCalls: backend.slowCalls,
    async stop() {
      await node.shutdown(1000);
      await backend.stop();
    },
  };
}
