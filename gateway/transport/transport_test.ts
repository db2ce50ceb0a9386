import http from "node:http";
import type { Socket } from "node:net";
import { runTransportContract } from "../../testing/transport_contract.ts";
import { FakeTransport } from "../../testing/fake_transport.ts";
import { RawWebSocket } from "./raw_websocket.ts";
import { handshake } from "./websocket_handshake.ts";
import { WebSocketTransport } from "./websocket_transport.ts";

runTransportContract("FakeTransport", () => {
  const transport = new FakeTransport();
  return Promise.resolve({
    transport,
    received: () => transport.sent,
    closedWith: () => transport.closed?.code ?? null,
    dispose: () => Promise.resolve(),
  });
});

runTransportContract("WebSocketTransport", async () => {
  const opened = Promise.withResolvers<WebSocketTransport>();
  const server = http.createServer();
  server.on("upgrade", (req, socket: Socket, head) => {
    const check = handshake(req);
    if ("refused" in check) return socket.destroy();
    socket.write(check.response);
    const ws = new RawWebSocket(socket, head, { maxFrameBytes: 65536 }, {
      onMessage: () => {},
      onClose: () => {},
    });
    opened.resolve(new WebSocketTransport(ws));
    ws.start();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const client = new WebSocket(`ws://127.0.0.1:${port}/`);
  const received: string[] = [];
  let code: number | null = null;
  const closed = Promise.withResolvers<void>();
  client.onmessage = (e) => received.push(String(e.data));
  client.onclose = (e) => {
    code = e.code;
    closed.resolve();
  };
  const transport = await opened.promise;
  return {
    transport,
    received: () => received,
    closedWith: () => code,
    dispose: async () => {
      transport.close(1000, "done");
      await closed.promise;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
