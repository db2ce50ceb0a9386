import http from "node:http";
import type { Duplex } from "node:stream";
import { Readable } from "node:stream";

/**
 * Between `node:http` and the fetch API: a node request as a fetch
 * `Request` (for Hono's `app.fetch`), a fetch `Response` written back, and
 * a plain HTTP answer on a raw socket (an upgrade refused before the 101).
 *
 * @module
 */

/** Headers from `rawHeaders` (keeps repeated headers, unlike `req.headers`). */
export function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** A fetch `Request` for a node request (its body streamed, not buffered). */
export function toRequest(req: http.IncomingMessage): Request {
  const host = req.headers.host ?? "localhost";
  const method = req.method ?? "GET";
  const init: RequestInit & { duplex?: "half" } = { method, headers: headersOf(req) };
  if (method !== "GET" && method !== "HEAD") {
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = "half";
  }
  return new Request(`http://${host}${req.url ?? "/"}`, init);
}

/** A body up to this size without a `content-length` is read whole, to send one. */
const BUFFER_UP_TO_BYTES = 1024 * 1024;

/**
 * Writes a fetch `Response` to a node response, waiting for the socket as
 * it goes. A body without a `content-length` (what Hono gives for a string
 * or bytes) is read first when it is small, so it goes out with a length
 * rather than chunked: proxies and caches handle that better; only a long
 * stream is sent chunked.
 */
export async function writeResponse(res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  if (response.body === null) {
    res.writeHead(response.status, response.statusText || undefined, headers);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    const head: Uint8Array[] = [];
    let size = 0;
    let ended = response.headers.has("content-length");
    while (!ended && size <= BUFFER_UP_TO_BYTES) {
      const { done, value } = await reader.read();
      if (done) ended = true;
      else {
        head.push(value);
        size += value.byteLength;
      }
    }
    if (ended && !response.headers.has("content-length")) headers["content-length"] = String(size);
    res.writeHead(response.status, response.statusText || undefined, headers);
    for (const chunk of head) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
    }
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
  }
}

/**
 * Answers an upgrade request on its raw socket with a plain HTTP response,
 * and closes it: the socket reads again (to see the peer's FIN) and is
 * destroyed if the peer has not closed within a second.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  const body = new TextEncoder().encode(text);
  const more = Object.entries(extra).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\nConnection: close\r\n` +
      "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n" +
      `${more}Content-Length: ${body.byteLength}\r\n\r\n${text}`,
  );
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), 1000);
  socket.once("close", () => clearTimeout(timer));
}
