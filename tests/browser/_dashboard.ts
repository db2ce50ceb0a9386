import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import type { TestNode } from "../_helpers/node.ts";
import { mountRoutes } from "../../routes/mod.ts";
import { startTestNode } from "../_helpers/node.ts";
import { CHROMIUM, CHROMIUM_ARGS, chromiumReady, testAssets } from "./_front_page.ts";

export { DOCS_SCREENSHOTS, freePort, screenshot, TEST_RESULTS } from "./_front_page.ts";

/** The demo guild the tests watch. */
export const ARCHITUS_DEMO = "555822989178961927";

export interface SiteOptions {
  readonly port?: number;
  /** Demo log events per second over the four demo guilds. Default 1000. */
  readonly logRate?: number;
}

/**
 * Starts a real node (gateway, embedded demo backend, bus) with the pages
 * mounted and its configuration handed to them, so the development
 * sign-in mints tokens the gateway accepts.
 */
export async function startDashboardSite(options: SiteOptions = {}): Promise<TestNode> {
  const assets = await testAssets();
  return startTestNode({
    PORT: String(options.port ?? 0),
    LOG_LEVEL: "warn",
    DEMO_LOG_RATE: String(options.logRate ?? 1000),
    DEMO_POOL_UPDATE_SECONDS: "0",
  }, {
    mount: (app, gateway) => mountRoutes(app, { assets, config: gateway.config }),
  });
}

export interface DashboardSession {
  readonly node: TestNode;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors seen so far. */
  readonly errors: string[];
  /** Replaces the node (restart tests) so cleanup shuts down the right one. */
  swapNode(next: TestNode): void;
}

export interface SessionOptions extends SiteOptions {
  readonly viewport?: { width: number; height: number };
  /** Console errors matching this are expected (a refused WebSocket while the node is down). */
  readonly allowErrors?: RegExp;
}

/**
 * Runs `fn` with a fresh node, browser, context and page, and releases all
 * of them afterwards whatever happens, so Deno's sanitizers stay quiet.
 */
export async function withDashboard(
  options: SessionOptions,
  fn: (session: DashboardSession) => Promise<void>,
): Promise<void> {
  await chromiumReady();
  let node: TestNode | undefined = await startDashboardSite(options);
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      if (options.allowErrors?.test(message.text())) return;
      errors.push(`console: ${message.text()}`);
    });
    await fn({
      node,
      browser,
      context,
      page,
      errors,
      swapNode(next) {
        node = next;
      },
    });
  } finally {
    await context?.close();
    await browser?.close();
    await node?.shutdown(200);
  }
}

/** The demo user keys of the sign-in picker. */
export type DemoUserKey = "staff" | "architusAdmin" | "discordAdmin" | "member" | "nonMember";

/** Opens `/app`, picks a demo user, and waits until the dashboard says who is signed in. */
export async function signIn(page: Page, node: TestNode, user: DemoUserKey): Promise<void> {
  await page.goto(new URL("/app", node.url).href);
  await page.locator('[data-testid="dashboard"][data-state="signed-out"]').waitFor({
    timeout: 10_000,
  });
  await page.locator(`[data-testid="sign-in-user"][data-user="${user}"]`).click();
  await page.locator('[data-testid="dashboard"][data-state="signed-in"]').waitFor({
    timeout: 10_000,
  });
}

/** The log viewer of the open guild. */
export function viewer(page: Page): Locator {
  return page.locator('[data-testid="log-viewer"]');
}

/** Picks a guild from the list and waits for its log to be live. */
export async function openGuild(page: Page, guildId: string): Promise<void> {
  await page.locator(`[data-testid="guild"][data-guild-id="${guildId}"]`).click();
  await page.locator(`[data-testid="log-viewer"][data-guild-id="${guildId}"][data-phase="live"]`)
    .waitFor({ timeout: 10_000 });
}

/** A numeric attribute of the log viewer. */
export async function viewerNumber(page: Page, name: string): Promise<number> {
  return Number(await viewer(page).getAttribute(name));
}

/** Waits until a numeric attribute of the viewer passes `predicate`. */
export async function waitForViewer(
  page: Page,
  name: string,
  predicate: (value: number) => boolean,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await viewerNumber(page, name);
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting on ${name} (last ${value})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One rendered row of the log viewer. */
export interface RenderedRow {
  readonly id: string;
  readonly type: number;
  readonly private: boolean;
  readonly agent: string | null;
  readonly text: string;
}

/**
 * The rows in the DOM, top to bottom, read in one go (the list redraws
 * every 100 ms). With `visibleOnly`, only rows whose top edge is inside the
 * scroll viewport.
 */
export function renderedRows(page: Page, visibleOnly = false): Promise<RenderedRow[]> {
  return page.locator('[data-testid="log-scroll"]').evaluate((scroller, visibleOnly) => {
    const view = scroller.getBoundingClientRect();
    return [...scroller.querySelectorAll<HTMLElement>('[data-testid="log-row"]')]
      .map((row) => ({ row, top: row.getBoundingClientRect().top }))
      .filter(({ top }) => !visibleOnly || (top >= view.top - 1 && top < view.bottom - 1))
      .sort((a, b) => a.top - b.top)
      .map(({ row }) => ({
        id: row.dataset.id ?? "",
        type: Number(row.dataset.type),
        private: row.dataset.private === "true",
        agent: row.dataset.agentId ?? null,
        text: row.querySelector(".log-text")?.textContent ?? "",
      }));
  }, visibleOnly);
}

/** Rows whose top edge lies inside the scroll viewport, top to bottom. */
export function visibleRows(page: Page): Promise<RenderedRow[]> {
  return renderedRows(page, true);
}

/** `id ± delta` for 64-bit decimal ids. */
export function shift(id: string, delta: number): string {
  return (BigInt(id) + BigInt(delta)).toString();
}
