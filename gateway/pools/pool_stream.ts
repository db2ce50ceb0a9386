import type { RequestContext } from "../connection/request_context.ts";
import { type PoolChunks, poolFrame } from "./pool_chunks.ts";

/**
 * Streams an answer as `pool_response` chunks, in order, the last with
 * `finished: true`. Between chunks it waits for the connection's socket to
 * drain below its soft budget, so a client that does not read holds the
 * chunks it was not yet sent only as references to the shared answer; one
 * that stays behind too long is closed as a slow consumer.
 */
export async function streamPool(ctx: RequestContext, answer: PoolChunks): Promise<void> {
  const seq = ctx.seq as number;
  const last = answer.chunks.length - 1;
  for (let i = 0; i < last; i++) {
    await ctx.connection.drained(ctx.signal);
    ctx.chunkText(poolFrame(seq, answer, i));
  }
  await ctx.connection.drained(ctx.signal);
  ctx.finishText(poolFrame(seq, answer, last));
}
