/**
 * Content codings for responses whose body is known ahead of the request:
 * the built assets (compressed by `build.ts`) and the pages (rendered and
 * compressed once, when the routes are mounted). The request's
 * `Accept-Encoding` picks one of the ready-made bodies; nothing is
 * compressed per request.
 *
 * @module
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The content codings the server writes, in the order it prefers them. */
export const CODINGS = ["br", "gzip"] as const;
export type ContentCoding = typeof CODINGS[number];

/** The suffix of a precompressed file beside the original (`boot-X.js.br`). */
export const CODING_SUFFIX: Readonly<Record<ContentCoding, string>> = { br: ".br", gzip: ".gz" };

/** One body in every coding it is worth sending in. */
export interface Encodings {
  readonly identity: Uint8Array<ArrayBuffer>;
  readonly br?: Uint8Array<ArrayBuffer>;
  readonly gzip?: Uint8Array<ArrayBuffer>;
}

/** What goes out for one request: a body and its coding (`null`: as is). */
export interface Selected {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly coding: ContentCoding | null;
}

/** Compresses `body` in one coding, as small as the coding gets (slow: for build and mount time). */
export function compress(body: Uint8Array, coding: ContentCoding): Uint8Array<ArrayBuffer> {
  const out = coding === "br"
    ? brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    })
    : gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
  return new Uint8Array(out);
}

/** `body` in every coding that makes it smaller. */
export function encodeAll(body: Uint8Array<ArrayBuffer>): Encodings {
  const encodings: { -readonly [K in keyof Encodings]: Encodings[K] } = { identity: body };
  for (const coding of CODINGS) {
    const compressed = compress(body, coding);
    if (compressed.length < body.length) encodings[coding] = compressed;
  }
  return encodings;
}

/**
 * The quality value an `Accept-Encoding` header gives each coding it
 * names (`*` included), per RFC 9110 §12.5.3. Malformed weights count as 0.
 */
function weights(header: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const item of header.split(",")) {
    const [name = "", ...params] = item.split(";").map((part) => part.trim());
    if (name === "") continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/i.exec(param);
      if (match) q = /^[0-9.]+$/.test(match[1] ?? "") ? Number(match[1]) : 0;
    }
    found.set(name.toLowerCase(), Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0);
  }
  return found;
}

/**
 * The coding to answer a request with, among those `available`: the one the
 * client weighs highest, the server's order breaking ties; `null` for the
 * body as is. Without an `Accept-Encoding` header the body goes as is, as
 * most servers do (tools such as curl send none and expect plain text).
 */
export function negotiate(
  header: string | null | undefined,
  available: Iterable<ContentCoding>,
): ContentCoding | null {
  if (header === null || header === undefined) return null;
  const accepted = weights(header);
  const wildcard = accepted.get("*") ?? 0;
  const offered = new Set(available);
  let best: ContentCoding | null = null;
  let bestQ = 0;
  for (const coding of CODINGS) {
    if (!offered.has(coding)) continue;
    const q = accepted.get(coding) ?? (coding === "gzip" ? accepted.get("x-gzip") : undefined) ??
      wildcard;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** The body to send for a request's `Accept-Encoding`. */
export function select(encodings: Encodings, acceptEncoding: string | null | undefined): Selected {
  const available = CODINGS.filter((coding) => encodings[coding] !== undefined);
  const coding = negotiate(acceptEncoding, available);
  const body = coding === null ? undefined : encodings[coding];
  return body === undefined ? { body: encodings.identity, coding: null } : { body, coding };
}

/**
 * The entity tag of one coding of a body tagged `tag`: each coding is its
 * own representation, so each needs its own validator (RFC 9110 §8.8.3).
 */
export function etagOf(tag: string, coding: ContentCoding | null): string {
  return coding === null ? `"${tag}"` : `"${tag}-${coding}"`;
}

/** Whether an `If-None-Match` header matches `etag` (weak comparison, RFC 9110 §13.1.2). */
export function matchesNoneMatch(header: string | null | undefined, etag: string): boolean {
  if (header === null || header === undefined) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = strip(etag);
  return header.split(",").some((tag) => tag.trim() === "*" || strip(tag) === wanted);
}
