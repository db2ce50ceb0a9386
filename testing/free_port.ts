/**
 * A TCP port on 127.0.0.1 that nobody listens on right now, for a node
 * started on a known port or one that must come back on the same port.
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
