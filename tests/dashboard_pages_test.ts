import assert from "node:assert/strict";
import { Hono } from "hono";
import { buildIslands, type IslandAssets } from "../build.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import type { TestNode } from "./_helpers/node.ts";
import {
  CONTENT_SECURITY_POLICY,
  type DashboardAuthConfig,
  DEV_TOKEN_TTL_SECONDS,
  mountRoutes,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
} from "../routes/mod.ts";
import { startTestNode, TEST_SECRET, tokenFor } from "./_helpers/node.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const OWNER_ID = "405016269205536769";
const DEV: DashboardAuthConfig = {
  environment: "development",
  production: false,
  jwtSecret: TEST_SECRET,
};
const PRODUCTION: DashboardAuthConfig = {
  environment: "production",
  production: true,
  jwtSecret: TEST_SECRET,
};
const HOSTILE = "</script><script>alert(1)</script>\u2028<!-- '&\"";

let outDir: string | undefined;
let building: Promise<IslandAssets> | undefined;

/** One island build for the whole file. */
function built(): Promise<IslandAssets> {
  return building ??= (async () => {
    outDir = await Deno.makeTempDir({ prefix: "architus-dashboard-" });
    return await buildIslands({ outDir });
  })();
}

globalThis.addEventListener("unload", () => {
  if (outDir !== undefined) Deno.removeSync(outDir, { recursive: true });
});

async function site(config?: DashboardAuthConfig, gatewayPath?: string): Promise<Hono> {
  const app = new Hono();
  await mountRoutes(app, { assets: await built(), gatewayPath, config });
  return app;
}

/** A node whose pages get its configuration, as `main.ts` mounts them. */
async function node(env: Record<string, string> = {}): Promise<TestNode> {
  const assets = await built();
  return startTestNode({ LOG_LEVEL: "warn", ...env }, {
    mount: (app, gateway) => mountRoutes(app, { assets, config: gateway.config }),
  });
}

function decodeAttribute(value: string): string {
  return value.replace(
    /&(quot|amp|lt|gt|#39|apos);/g,
    (_, name: string) =>
      ({ quot: '"', amp: "&", lt: "<", gt: ">", "#39": "'", apos: "'" })[name] ?? "",
  );
}

function dashboardProps(html: string): Record<string, unknown> {
  const match = /data-island="Dashboard" data-props="([^"]*)"/.exec(html);
  assert.ok(match, "the island marker carries its props");
  return JSON.parse(decodeAttribute(match[1] ?? ""));
}

function signInForm(user: string, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    body: new URLSearchParams({ user }),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    redirect: "manual",
  };
}

/** Opens a WebSocket with `cookie` and asks the gateway who it is. */
async function sessionWith(running: TestNode, cookie: string): Promise<Record<string, unknown>> {
  const url = new URL("/gateway", running.url);
  url.protocol = "ws:";
  const ws = await WsClient.connect(url.href, { cookie });
  try {
    return await ws.ask({ _event: "session", _seq: 1 });
  } finally {
    await ws.close();
  }
}

Deno.test("GET /app - the shared layout, the Dashboard island and the demo-user picker", async () => {
  const response = await (await site(DEV)).request("/app");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=UTF-8");
  assert.equal(response.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
  const html = await response.text();
  assert.ok(html.startsWith('<!DOCTYPE html><html lang="en">'));
  assert.match(html, /<title>Dashboard — Architus<\/title>/);
  assert.match(html, /<header class="site-header">/);
  assert.match(html, /<a href="\/app" aria-current="page">Dashboard<\/a>/);
  assert.match(html, /<a href="\/">Home<\/a>/);
  assert.match(html, /<footer class="site-footer">/);
  assert.equal(html.match(/<script/g)?.length, 1, "the page's script only");

  const props = dashboardProps(html);
  assert.equal(props.gatewayPath, "/gateway");
  const signIn = props.signIn as { mode: string; action: string; signOutAction: string };
  assert.equal(signIn.mode, "dev");
  assert.equal(signIn.action, SIGN_IN_PATH);
  assert.equal(signIn.signOutAction, SIGN_OUT_PATH);
  const users = (props.signIn as { users: Array<Record<string, string>> }).users;
  assert.deepEqual(users.map((user) => [user.key, user.username, user.id]), [
    ["staff", "architus_staff", "214037134477230080"],
    ["architusAdmin", "demo_owner", OWNER_ID],
    ["discordAdmin", "demo_moderator", "245880649293103108"],
    ["member", "demo_member", "700794554307317769"],
    ["nonMember", "demo_outsider", "815499199956127746"],
  ]);
  assert.deepEqual(users.map((user) => user.tier), [
    "Architus staff",
    "Architus admin",
    "Discord admin",
    "Member",
    "Non-member",
  ]);
  assert.deepEqual(
    (props.quickGuilds as Array<{ id: string }>).map((guild) => guild.id),
    Object.values(DEMO_GUILD_IDS),
  );
  // The server renders the island's "connecting" state: only the WebSocket knows who is in.
  assert.match(html, /data-testid="dashboard" data-state="connecting"/);
  assert.ok(!html.includes("data-hydrated"));
  assert.ok(!html.includes('data-testid="log-viewer"'));
  // Without JavaScript the picker still signs in: plain forms in <noscript>.
  const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)?.[1] ?? "";
  assert.equal(noscript.match(/<form method="post" action="\/app\/sign-in">/g)?.length, 5);
  assert.match(noscript, /<input type="hidden" name="user" value="architusAdmin"\/>/);
});

Deno.test("GET /app - a hostile gateway path cannot break out of the props attribute", async () => {
  const html = await (await (await site(DEV, HOSTILE)).request("/app")).text();
  assert.equal(dashboardProps(html).gatewayPath, HOSTILE);
  assert.ok(!html.includes("<script>alert"), "no injected script element");
  assert.equal(html.match(/<script/g)?.length, 1);
});

Deno.test("POST /app/sign-in - sets an HttpOnly dev-token cookie that elevates the WebSocket", async () => {
  const running = await node();
  try {
    const response = await fetch(new URL(SIGN_IN_PATH, running.url), signInForm("architusAdmin"));
    await response.body?.cancel();
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "/app");
    assert.equal(response.headers.get("cache-control"), "no-store");
    const cookie = response.headers.get("set-cookie") ?? "";
    const match = /^dev-token=([^;]+); Path=\/; HttpOnly; SameSite=Lax; Max-Age=(\d+)$/.exec(
      cookie,
    );
    assert.ok(match, `cookie attributes: ${cookie}`);
    assert.equal(Number(match[2]), DEV_TOKEN_TTL_SECONDS);
    const token = match[1] as string;
    // The REST API's claim shape, the id as an exact JSON number.
    const payload = new TextDecoder().decode(
      Uint8Array.from(
        atob((token.split(".")[1] as string).replace(/-/g, "+").replace(/_/g, "/")),
        (c) => c.charCodeAt(0),
      ),
    );
    assert.ok(payload.includes(`"id":${OWNER_ID}`), payload);
    assert.match(payload, /"access_token":"[^"]+","refresh_token":"[^"]+","expires_in":43200/);

    const session = await sessionWith(running, `theme=dark; dev-token=${token}`);
    assert.equal(session._event, "session_return");
    assert.equal(session.elevated, true);
    assert.equal(session.user_id, OWNER_ID);
    // Without the cookie the same gateway says nobody.
    assert.equal((await sessionWith(running, "theme=dark")).elevated, false);
  } finally {
    await running.shutdown(100);
  }
});

Deno.test("POST /app/sign-in - refuses unknown users, other sites' forms, and GET", async () => {
  const app = await site(DEV);
  const post = (user: string, headers: Record<string, string> = {}) =>
    app.request(SIGN_IN_PATH, signInForm(user, headers));

  const unknown = await post("someoneElse");
  assert.equal(unknown.status, 400);
  assert.match(await unknown.text(), /pick one of staff, architusAdmin/);
  assert.equal(unknown.headers.get("set-cookie"), null);
  // A user id is not a demo user key: the picker offers the five only.
  assert.equal((await post(OWNER_ID)).status, 400);

  const crossSite = await post("architusAdmin", { origin: "https://evil.example" });
  assert.equal(crossSite.status, 403);
  assert.equal(crossSite.headers.get("set-cookie"), null);
  assert.equal((await post("architusAdmin", { "sec-fetch-site": "cross-site" })).status, 403);
  const sameSite = await post("architusAdmin", {
    origin: "http://localhost",
    "sec-fetch-site": "same-origin",
  });
  assert.equal(sameSite.status, 303);
  assert.match(sameSite.headers.get("set-cookie") ?? "", /^dev-token=ey/);

  assert.equal((await app.request(SIGN_IN_PATH)).status, 404);
});

Deno.test("POST /app/sign-out - clears the cookie and goes back to /app", async () => {
  const app = await site(DEV);
  const response = await app.request(SIGN_OUT_PATH, { method: "POST", redirect: "manual" });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/app");
  assert.equal(
    response.headers.get("set-cookie"),
    "dev-token=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
  );
  const crossSite = await app.request(SIGN_OUT_PATH, {
    method: "POST",
    headers: { origin: "https://evil.example" },
  });
  assert.equal(crossSite.status, 403);
});

Deno.test("production - no picker, sign-in refused, the REST API's token cookie elevates", async () => {
  const running = await node({ GATEWAY_ENV: "production", ALLOWED_ORIGINS: "https://archit.us" });
  try {
    const page = await fetch(new URL("/app", running.url));
    const html = await page.text();
    assert.equal(page.status, 200);
    const props = dashboardProps(html);
    assert.deepEqual(props.signIn, { mode: "external", url: "https://archit.us" });
    assert.deepEqual(props.quickGuilds, []);
    assert.ok(!html.includes(SIGN_IN_PATH), "no sign-in form");
    assert.ok(!html.includes("demo_owner"), "no demo users");
    assert.match(html, /Sign in through archit\.us/);

    for (const path of [SIGN_IN_PATH, SIGN_OUT_PATH]) {
      const refused = await fetch(new URL(path, running.url), signInForm("architusAdmin"));
      assert.equal(refused.status, 404, path);
      assert.equal(refused.headers.get("set-cookie"), null);
      assert.match(await refused.text(), /sign in through archit\.us/);
    }

    const token = await tokenFor(OWNER_ID);
    const viaRestCookie = await sessionWith(running, `token=${token}`);
    assert.equal(viaRestCookie.elevated, true);
    assert.equal(viaRestCookie.user_id, OWNER_ID);
    assert.equal((await sessionWith(running, `dev-token=${token}`)).elevated, false);
  } finally {
    await running.shutdown(100);
  }
});

Deno.test("mountRoutes() - production, or no configuration, offers no demo sign-in", async () => {
  for (const config of [PRODUCTION, undefined]) {
    const app = await site(config);
    const props = dashboardProps(await (await app.request("/app")).text());
    assert.equal((props.signIn as { mode: string }).mode, "external");
    const refused = await app.request(SIGN_IN_PATH, signInForm("staff"));
    assert.equal(refused.status, 404);
    assert.equal(refused.headers.get("set-cookie"), null);
    await refused.body?.cancel();
    // The front page is still there, unchanged.
    assert.equal((await app.request("/")).status, 200);
  }
});
