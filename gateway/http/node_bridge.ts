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

/** Writes a fetch `Response` to a node response, waiting for the socket as it goes. */
export async function writeResponse(res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
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
