import { Buffer } from "node:buffer";

/**
 * Bytes read from a socket and not yet parsed, kept as the chunks they
 * arrived in: taking a prefix copies only when it spans chunks. Private to
 * the transport folder.
 */
export class ByteQueue {
  #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  clear(): void {
    this.#chunks = [];
    this.#length = 0;
  }

  /** The byte at offset `i` (0 past the end). */
  byteAt(i: number): number {
    for (const c of this.#chunks) {
      if (i < c.length) return c[i]!;
      i -= c.length;
    }
    return 0;
  }

  /** Drops the first `n` bytes. */
  drop(n: number): void {
    this.#length -= n;
    while (n > 0) {
      const c = this.#chunks[0]!;
      if (c.length <= n) {
        this.#chunks.shift();
        n -= c.length;
      } else {
        this.#chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }

  /** Removes and returns the first `n` bytes (`n` at most `length`). */
  take(n: number): Buffer {
    const first = this.#chunks[0];
    if (n === 0 || first === undefined) return Buffer.alloc(0);
    this.#length -= n;
    if (first.length === n) {
      this.#chunks.shift();
      return first;
    }
    if (first.length > n) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.#chunks[0]!;
      const need = n - off;
      if (c.length <= need) {
        out.set(c, off);
        off += c.length;
        this.#chunks.shift();
      } else {
        out.set(c.subarray(0, need), off);
        this.#chunks[0] = c.subarray(need);
        off += need;
      }
    }
    return out;
  }
}
