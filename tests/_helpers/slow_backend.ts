import { DemoBackend } from "../../demo/mod.ts";
import { answerRpc, backendMethods } from "../../gateway/backend/backend_server.ts";
import { type Bus, decodeRpcRequest } from "../../gateway/bus/mod.ts";
import { sleep } from "../../testing/wait_for.ts";
import { dataset } from "./node.ts";

/** The demo backend on a bus, answering the methods `slow` picks only after `delayMs`. */
export interface SlowBackend {
  /** Calls of slow methods received so far. */
  slowCalls(): number;
  /** Unserves the shard queues and waits for the calls under way. */
  stop(): Promise<void>;
}

/**
 * Serves the demo dataset on every shard queue of `bus`, like the embedded
 * demo backend, but holds the answers of the methods `slow` picks for
 * `delayMs`: a backend that is slow where a test needs it to be.
 */
export async function serveSlowBackend(
  bus: Bus,
  options: { delayMs: number; slow: (method: string) => boolean; shards?: number },
): Promise<SlowBackend> {
  const table = backendMethods(new DemoBackend(dataset()));
  let slowCalls = 0;
  const inFlight = new Set<Promise<unknown>>();
  const subs = await Promise.all(
    Array.from({ length: options.shards ?? 4 }, (_, n) =>
      bus.serve(`shard_rpc_${n}`, (body) => {
        const request = decodeRpcRequest(body);
        if (!request.ok || !options.slow(request.value.method)) return answerRpc(table, body);
        slowCalls++;
        const call = sleep(options.delayMs).then(() => answerRpc(table, body));
        inFlight.add(call);
        void call.finally(() => inFlight.delete(call));
        return call;
      })),
  );
  return {
    slowCalls: () => slowCalls,
    async stop() {
      await Promise.all(subs.map((s) => s.unsubscribe().catch(() => {})));
      await Promise.allSettled([...inFlight]);
    },
  };
}
