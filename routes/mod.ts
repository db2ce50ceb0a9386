/**
 * The web pages of a node: the front page with its demo island, the
 * dashboard with its sign-in routes, and the built assets they load.
 *
 * @module
 */
import type { Hono } from "hono";
import { compress } from "hono/compress";
import { demoDirectory } from "./_demo_accounts.ts";
import { ARCHITUS_SIGN_IN_URL, renderDashboardPage } from "./app.tsx";
import { type IslandAssets, mountAssets } from "./assets.ts";
import {
  type DashboardAuthConfig,
  devSignInEnabled,
  mountAuth,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
} from "./auth.ts";
import { renderFrontPage } from "./index.tsx";
import { pageHandler } from "./_page_response.ts";

export { IMMUTABLE, type IslandAssets, type PageScript } from "./assets.ts";
export { assertJsonSafe, serializeProps } from "./_island.tsx";
export {
  type DashboardAuthConfig,
  DEV_TOKEN_TTL_SECONDS,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
} from "./auth.ts";

export interface RouteOptions {
  /** What `buildIslands()` returned (or `readManifest()` read). */
  readonly assets: IslandAssets;
  /** The WebSocket endpoint the islands connect to. Default `/gateway`. */
  readonly gatewayPath?: string;
  /**
   * The node's configuration (a `GatewayConfig` will do). In development the
   * dashboard offers a demo-user sign-in that mints tokens with `jwtSecret`;
   * in production, or without a configuration, it sends people to archit.us.
   */
  readonly config?: DashboardAuthConfig;
}

/** Discord's CDN: member avatars in production. */
export const DISCORD_CDN = "https://cdn.discordapp.com";

/**
 * Only this origin's own files run or style the page (images: also
 * Discord's CDN, for avatars); the WebSocket may go
 * wherever `gatewayPath` points. No inline script or style is needed: props
 * travel in a data attribute.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' data: ${DISCORD_CDN}`,
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

/**
 * Adds the pages, the dashboard's sign-in routes and the asset routes to a
 * node's app. Pages and assets are compressed ahead of time; anything else
 * these routes answer with is compressed on the way out when it is large
 * enough to gain. Routes the app had before (the WebSocket endpoint, probes,
 * metrics) are left as they are: Hono runs middleware only for routes added
 * after it.
 */
export async function mountRoutes(app: Hono, options: RouteOptions): Promise<void> {
  // gzip only: anything that accepts brotli accepts gzip, and the precompressed
  // answers already offer both, so a deflate-only client gets those as they are.
  app.use(compress({ encoding: "gzip" }));
  await mountAssets(app, options.assets);
  const gatewayPath = options.gatewayPath ?? "/gateway";
  // The pages depend only on the build and the options, so each is rendered once.
  const frontPage = renderFrontPage({ assets: options.assets, gatewayPath });
  app.get("/", await pageHandler(frontPage, PAGE_HEADERS));

  const dev = devSignInEnabled(options.config);
  const demo = dev ? demoDirectory() : { accounts: [], guilds: [] };
  const dashboard = renderDashboardPage({
    assets: options.assets,
    gatewayPath,
    signIn: dev
      ? {
        mode: "dev",
        action: SIGN_IN_PATH,
        signOutAction: SIGN_OUT_PATH,
        users: demo.accounts,
      }
      : { mode: "external", url: ARCHITUS_SIGN_IN_URL },
    quickGuilds: demo.guilds,
    // The demo backend's bot channel is open in development only, as this sign-in is.
    botChannel: dev,
    // The demo data's avatar hashes are made up: development shows coloured initials.
    avatarCdn: dev ? null : DISCORD_CDN,
  });
  app.get("/app", await pageHandler(dashboard, PAGE_HEADERS));
  mountAuth(app, { config: options.config, accounts: demo.accounts });
}
