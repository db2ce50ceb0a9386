import { startTestNode, type TestNode, type TestNodeOptions } from "./node.ts";
import type { WsClient } from "./ws_client.ts";

/** Runs `fn` against a fresh node, then closes the clients it opened and the node. */
export async function withNode(
  env: Record<string, string>,
  fn: (node: TestNode, clients: WsClient[]) => Promise<void>,
  options: TestNodeOptions = {},
): Promise<void> {
  const node = await startTestNode(env, options);
  const clients: WsClient[] = [];
  try {
    await fn(node, clients);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await node.shutdown(1000);
  }
}
