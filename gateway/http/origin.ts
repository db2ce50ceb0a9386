/**
 * Cross-site WebSocket hijacking guard. Browsers send cookies on a
 * WebSocket upgrade from any site and CORS does not apply, so the Origin
 * header is the only defence:
 * - no Origin header: not a browser, allowed (tokens still decide);
 * - an origin in the allow-list: allowed;
 * - production: nothing else;
 * - development: also the gateway's own origin (same host).
 */
export function originAllowed(
  origin: string | null,
  options: { production: boolean; allowedOrigins: readonly string[]; host: string | null },
): boolean {
  if (origin === null) return true;
  if (options.allowedOrigins.includes(origin)) return true;
  if (options.production) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return options.host !== null && url.host === options.host;
}
