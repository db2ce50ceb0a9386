import { runTransportContract } from "../../testing/transport_contract.ts";
import { FakeTransport } from "../../testing/fake_transport.ts";
import { WebSocketTransport } from "./transport_websocket.ts";

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
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onopen = () => opened.resolve(new WebSocketTransport(socket));
    return response;
  });
  const client = new WebSocket(`ws://127.0.0.1:${server.addr.port}/`);
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
      await server.shutdown();
    },
  };
});
