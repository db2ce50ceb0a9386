/**
 * Pool answers: serialised once into bounded chunks, shared while fresh, and
 * streamed to each request as fast as its socket drains.
 *
 * @module
 */
export { chunkPool, MAX_CHUNK_BYTES, MAX_CHUNK_ENTITIES, type PoolChunks } from "./pool_chunks.ts";
export { PoolAnswerCache, type PoolAnswerKey } from "./pool_answer_cache.ts";
export { streamPool } from "./pool_stream.ts";
