/**
 * The web pages of a node: the front page with its demo island, and the
 * built assets it loads.
 *
 * @module
 */
import type { Hono } from "hono";
import { type IslandAssets, mountAssets } from "./assets.ts";
import { renderFrontPage } from "./index.tsx";

export { ASSET_PREFIX, IMMUTABLE, type IslandAssets, mountAssets } from "./assets.ts";
export { assertJsonSafe, Island, type JsonValue, serializeProps } from "./_island.tsx";

export interface RouteOptions {
  /** What `buildIslands()` returned (or `readManifest()` read). */
  readonly assets: IslandAssets;
  /** The WebSocket endpoint the demo connects to. Default `/gateway`. */
  readonly gatewayPath?: string;
}

/**
 * Only this origin's own files run or style the page; the WebSocket may go
 * wherever `gatewayPath` points. No inline script or style is needed: props
 * travel in a data attribute.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const PAGE_HEADERS = {
  "cache-control": "no-cache",
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
} as const;

/** Adds the pages and the asset routes to a node's app. */
export async function mountRoutes(app: Hono, options: RouteOptions): Promise<void> {
  await mountAssets(app, options.assets);
  // The page depends only on the build and the options, so it is rendered once.
  const frontPage = renderFrontPage({
    assets: options.assets,
    gatewayPath: options.gatewayPath ?? "/gateway",
  });
  app.get("/", (c) => c.html(frontPage, 200, PAGE_HEADERS));
}
