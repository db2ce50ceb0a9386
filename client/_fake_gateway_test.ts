/**
 * A scripted stand-in for the gateway, shared by the client's tests (this
 * module holds no tests itself). It records every frame a client sends and
 * lets a test answer, push and close by hand.
 */
import { waitFor } from "../testing/wait_for.ts";

export type Frame = Record<string, unknown> & { _event: string; _seq?: number };

/** One accepted WebSocket, seen from the server. */
export class FakeConnection {
  readonly index: number;
  readonly frames: Frame[] = [];
  readonly closed: Promise<void>;
  #socket: WebSocket;
  #taken = new Set<number>();

  constructor(index: number, socket: WebSocket, closed: Promise<void>) {
    this.index = index;
    this.#socket = socket;
    this.closed = closed;
  }

  get isOpen(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  send(frame: Record<string, unknown> | string): void {
    this.#socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  close(code?: number, reason?: string): Promise<void> {
    if (this.#socket.readyState < WebSocket.CLOSING) this.#socket.close(code, reason);
    return this.closed;
  }

  /** The next frame with this `_event` not taken before; waits up to 2 s. */
  async take(event: string): Promise<Frame> {
    let found = -1;
    await waitFor(() => {
      found = this.frames.findIndex((f, i) => f._event === event && !this.#taken.has(i));
      return found >= 0;
    }, { timeoutMs: 2000, message: `frame ${event} on connection ${this.index}` });
    this.#taken.add(found);
    return this.frames[found] as Frame;
  }

  /** How many frames with this `_event` arrived. */
  count(event: string): number {
    return this.frames.filter((f) => f._event === event).length;
  }
}

export interface FakeGatewayOptions {
  /** Called with every frame after it is recorded. */
  onFrame?: (conn: FakeConnection, frame: Frame) => void;
  /** Answer `session` frames with an unelevated session. Default true. */
  answerSession?: boolean;
  /** Called when a connection opens. */
  onOpen?: (conn: FakeConnection) => void;
}

export interface FakeGateway {
  readonly url: string;
  readonly connections: FakeConnection[];
  /** The connection number `index` (0-based), once it opened. */
  connection(index: number): Promise<FakeConnection>;
  close(): Promise<void>;
}

export const UNELEVATED_SESSION = {
  _event: "session_return",
  version: 1,
  elevated: false,
  user_id: null,
  expires_at: null,
  spectating: null,
};

export function startFakeGateway(options: FakeGatewayOptions = {}): FakeGateway {
  const connections: FakeConnection[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    if (request.headers.get("upgrade") !== "websocket") return new Response("no", { status: 400 });
    const { socket, response } = Deno.upgradeWebSocket(request);
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => resolveClosed = resolve);
    const conn = new FakeConnection(connections.length, socket, closed);
    socket.addEventListener("open", () => {
      connections.push(conn);
      options.onOpen?.(conn);
    });
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as Frame;
      conn.frames.push(frame);
      if (frame._event === "session" && options.answerSession !== false) {
        conn.send({ ...UNELEVATED_SESSION, seq: frame._seq });
      }
      options.onFrame?.(conn, frame);
    });
    socket.addEventListener("close", () => resolveClosed());
    socket.addEventListener("error", () => {});
    return response;
  });
  return {
    url: `ws://127.0.0.1:${server.addr.port}/gateway`,
    connections,
    async connection(index) {
      await waitFor(() => connections.length > index, {
        timeoutMs: 2000,
        message: `connection ${index}`,
      });
      return connections[index] as FakeConnection;
    },
    async close() {
      await Promise.all(connections.map((conn) => conn.close()));
      await server.shutdown();
      await server.finished;
    },
  };
}
