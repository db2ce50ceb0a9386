// This module is browser-compatible.

/** The gateway's WebSocket URL from `ws(s)`, `http(s)` or a path relative to the page. */
export function toSocketUrl(url: string | URL): string {
  // In a browser a path like "/gateway" is relative to the page.
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const parsed = new URL(url, base);
  if (parsed.protocol === "http:") parsed.protocol = "ws:";
  else if (parsed.protocol === "https:") parsed.protocol = "wss:";
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw new TypeError(`gateway url must be ws(s) or http(s), got ${parsed.protocol}`);
  }
  return parsed.href;
}
