/** At most this many entities in one `pool_response` frame. */
export const MAX_CHUNK_ENTITIES = 1000;
/** At most about this many bytes of entities in one `pool_response` frame. */
export const MAX_CHUNK_BYTES = 256 * 1024;

/**
 * A pool answer serialised once, in the chunks it is sent in: each chunk is
 * the comma-joined JSON of its entities (at most MAX_CHUNK_ENTITIES and about
 * MAX_CHUNK_BYTES), ready to be wrapped in a `pool_response` frame for any
 * request. Shared by every request that gets the same answer.
 */
export interface PoolChunks {
  readonly chunks: readonly string[];
  /** The ids asked for that do not exist (sent on the last chunk). */
  readonly nonexistent: readonly string[];
  /** Characters of entity JSON in all chunks: what the answer costs to hold. */
  readonly size: number;
}

/** Serialises `data` into chunks; an empty pool is one empty chunk. */
export function chunkPool(data: readonly unknown[], nonexistent: readonly string[]): PoolChunks {
  const chunks: string[] = [];
  let batch: string[] = [];
  let bytes = 0;
  let size = 0;
  for (const entity of data) {
    const json = JSON.stringify(entity);
    if (
      batch.length > 0 &&
      (batch.length >= MAX_CHUNK_ENTITIES || bytes + json.length > MAX_CHUNK_BYTES)
    ) {
      chunks.push(batch.join(","));
      batch = [];
      bytes = 0;
    }
    batch.push(json);
    bytes += json.length + 1;
    size += json.length + 1;
  }
  chunks.push(batch.join(","));
  return { chunks, nonexistent, size };
}

/** The `pool_response` frame of chunk `index` of `answer`, for request `seq`. */
export function poolFrame(seq: number, answer: PoolChunks, index: number): string {
  const last = index === answer.chunks.length - 1;
  const nonexistent = last ? JSON.stringify(answer.nonexistent) : "[]";
  return `{"_event":"pool_response","seq":${seq},"finished":${last},"data":[${
    answer.chunks[index]
  }],"nonexistent":${nonexistent}}`;
}
