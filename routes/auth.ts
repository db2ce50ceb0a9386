/**
 * Development sign-in for the dashboard: a demo user is picked on `/app`,
 * the server mints a token for them (the REST API's claim shape, signed
 * with the node's secret) into the `dev-token` cookie the gateway reads on
 * the WebSocket upgrade. Production has no such route: archit.us signs in
 * and sets the `token` cookie.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { DemoAccountView } from "../components/dashboard/SignInPanel.tsx";
import { mintToken, tokenCookieName } from "../gateway/auth/mod.ts";

export const SIGN_IN_PATH = "/app/sign-in";
export const SIGN_OUT_PATH = "/app/sign-out";
/** Where both routes send the browser back to. */
const DASHBOARD_PATH = "/app";
/** Lifetime of a development sign-in (the token and its cookie). */
export const DEV_TOKEN_TTL_SECONDS = 12 * 3600;

/** What the routes need of the node's configuration. */
export interface DashboardAuthConfig {
  /** `GATEWAY_ENV`: the development sign-in exists only when it says development. */
  readonly environment: "production" | "development";
  readonly production: boolean;
  /** The HS256 secret the gateway verifies tokens with. */
  readonly jwtSecret: string;
}

/** Development sign-in is on only with a configuration that explicitly says development. */
export function devSignInEnabled(
  config: DashboardAuthConfig | undefined,
): config is DashboardAuthConfig {
  return config !== undefined && config.environment === "development" && !config.production;
}

/** The `Set-Cookie` value of the development token; `maxAge` 0 clears it. */
function devTokenCookie(value: string, maxAge: number): string {
  return `${tokenCookieName(false)}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;
}

const NO_STORE = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/**
 * A form post from another site must not sign a visitor in (or out) as
 * someone. Browsers say where a post comes from; tools that say nothing
 * (curl, tests) are let through, as the routes exist in development only.
 */
function sameOrigin(c: Context): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === (c.req.header("host") ?? new URL(c.req.url).host);
  } catch {
    return false;
  }
}

function backToDashboard(c: Context, cookie: string): Response {
  return c.body(null, 303, { ...NO_STORE, location: DASHBOARD_PATH, "set-cookie": cookie });
}

/**
 * `POST /app/sign-in` (form field `user`: a demo user's key) and
 * `POST /app/sign-out`. Both answer 404 unless `config` says development.
 */
export function mountAuth(
  app: Hono,
  options: { config?: DashboardAuthConfig; accounts: readonly DemoAccountView[] },
): void {
  const config = options.config;
  if (!devSignInEnabled(config)) {
    const off = (c: Context) =>
      c.text(
        "Development sign-in is off on this server: sign in through archit.us.",
        404,
        NO_STORE,
      );
    app.post(SIGN_IN_PATH, off);
    app.post(SIGN_OUT_PATH, off);
    return;
  }
  const accounts = new Map(options.accounts.map((account) => [account.key, account]));
  app.post(SIGN_IN_PATH, async (c) => {
    if (!sameOrigin(c)) return c.text("cross-site sign-in refused", 403, NO_STORE);
    let key: unknown;
    try {
      key = (await c.req.parseBody()).user;
    } catch {
      key = undefined;
    }
    const account = typeof key === "string" ? accounts.get(key) : undefined;
    if (account === undefined) {
      return c.text(`unknown demo user; pick one of ${[...accounts.keys()].join(", ")}`, 400, {
        ...NO_STORE,
      });
    }
    const token = await mintToken({
      secret: config.jwtSecret,
      userId: account.id,
      ttlSeconds: DEV_TOKEN_TTL_SECONDS,
      style: "rest",
    });
    return backToDashboard(c, devTokenCookie(token, DEV_TOKEN_TTL_SECONDS));
  });
  app.post(SIGN_OUT_PATH, (c) => {
    if (!sameOrigin(c)) return c.text("cross-site sign-out refused", 403, NO_STORE);
    return backToDashboard(c, devTokenCookie("", 0));
  });
}
