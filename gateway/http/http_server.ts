import http from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { toRequest, writeResponse } from "./node_bridge.ts";

export interface HttpServerOptions {
  readonly hostname: string;
  readonly port: number;
  /** Pages, probes and everything that is not a WebSocket upgrade. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** A request with `Upgrade:` headers, its raw socket and the bytes read past its head. */
  readonly upgrade: (req: http.IncomingMessage, socket: Duplex, head: Uint8Array) => void;
  /** A connection must have sent a whole request head within this time (and again when idle). */
  readonly handshakeTimeoutMs: number;
}

/** A listening server. */
export interface HttpServer {
  readonly addr: { readonly hostname: string; readonly port: number };
  /** Stops listening and drops the connections that are not WebSockets. */
  shutdown(): Promise<void>;
}

/**
 * The node's one port: a `node:http` server, because its "upgrade" event
 * hands over the raw socket, so the gateway's own RFC 6455 layer can refuse
 * an oversized frame from its header (the runtime's WebSocket reads whole
 * frames first). Pages and probes go through the fetch bridge to Hono.
 *
 * Slow or silent clients do not hold sockets: every connection must send a
 * complete request head within `handshakeTimeoutMs` of connecting, and a
 * kept-alive one within that time of its last answer, or it is dropped.
 */
export function serveHttp(options: HttpServerOptions): Promise<HttpServer> {
  const plain = new Set<Socket>();
  const timers = new WeakMap<Socket, ReturnType<typeof setTimeout>>();
  const arm = (socket: Socket) => {
    clearTimeout(timers.get(socket));
    timers.set(socket, setTimeout(() => socket.destroy(), options.handshakeTimeoutMs));
  };
  const disarm = (socket: Socket) => clearTimeout(timers.get(socket));
  const server = http.createServer((req, res) => {
    const socket = req.socket as Socket;
    disarm(socket);
    res.once("finish", () => {
      if (!socket.destroyed) arm(socket);
    });
    Promise.resolve()
      .then(() => options.fetch(toRequest(req)))
      .then((response) => writeResponse(res, response))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end("internal error");
        else res.destroy();
      });
  });
  server.on("connection", (socket: Socket) => {
    plain.add(socket);
    arm(socket);
    socket.once("close", () => {
      disarm(socket);
      plain.delete(socket);
    });
  });
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Uint8Array) => {
    disarm(socket as Socket);
    plain.delete(socket as Socket);
    socket.on("error", () => {}); // a reset before the handshake completes must not crash
    options.upgrade(req, socket, head);
  });
  server.on("clientError", (_error: Error, socket: Duplex) => {
    // A request that is not HTTP: answer 400 if the socket still can, then drop it.
    if ((socket as Socket).writable) {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    } else socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      const address = server.address() as { address: string; port: number };
      resolve({
        addr: { hostname: address.address, port: address.port },
        shutdown: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of plain) socket.destroy();
          }),
      });
    });
  });
}
