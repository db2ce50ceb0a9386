import type { Context, Handler } from "hono";
import { encodeAll, etagOf, matchesNoneMatch, select } from "./encoding.ts";

/**
 * A handler that answers with one rendered page, compressed once here
 * (brotli and gzip) and picked per request by `Accept-Encoding`. The page
 * may be cached but is checked every time (`no-cache`): its entity tag
 * (a hash of the HTML) turns an unchanged page into a 304.
 */
export async function pageHandler(
  html: string,
  headers: Readonly<Record<string, string>>,
): Promise<Handler> {
  const identity = new TextEncoder().encode(html);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", identity));
  const tag = [...digest.slice(0, 12)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  const encodings = encodeAll(identity);
  return (c: Context) => {
    const { body, coding } = select(encodings, c.req.header("accept-encoding"));
    const etag = etagOf(tag, coding);
    const validators = { ...headers, "etag": etag, "vary": "accept-encoding" };
    if (matchesNoneMatch(c.req.header("if-none-match"), etag)) return c.body(null, 304, validators);
    const sent: Record<string, string> = {
      ...validators,
      "content-type": "text/html; charset=UTF-8",
    };
    if (coding !== null) sent["content-encoding"] = coding;
    return c.body(body, 200, sent);
  };
}
