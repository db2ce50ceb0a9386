import { brotliDecompressSync, gunzipSync } from "node:zlib";

/** Undoes a response's content coding (`null`: none). */
export function decompress(body: Uint8Array, coding: string | null): Uint8Array {
  if (coding === null) return body;
  if (coding === "br") return new Uint8Array(brotliDecompressSync(body));
  if (coding === "gzip") return new Uint8Array(gunzipSync(body));
  throw new Error(`no decoder for ${coding}`);
}
