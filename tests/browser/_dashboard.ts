import type { Locator, Page } from "playwright-core";
import type { TestNode } from "../_helpers/node.ts";
import { type BrowserOptions, type BrowserSession, startWebNode, withBrowser } from "./_browser.ts";

/** The demo guild the tests watch. */
export const ARCHITUS_DEMO = "555822989178961927";

export interface SiteOptions {
  readonly port?: number;
  /** Demo log events per second over the four demo guilds. Default 1000. */
  readonly logRate?: number;
  /** Big Guild with its 10,000 members (default 300). */
  readonly bigGuild?: boolean;
}

/**
 * Starts a real node (gateway, embedded demo backend, bus) with the pages
 * mounted and its configuration handed to them, so the development
 * sign-in mints tokens the gateway accepts.
 */
export function startDashboardSite(options: SiteOptions = {}): Promise<TestNode> {
  return startWebNode({
    PORT: String(options.port ?? 0),
    DEMO_LOG_RATE: String(options.logRate ?? 1000),
    DEMO_POOL_UPDATE_SECONDS: "0",
  }, { devSignIn: true, bigGuild: options.bigGuild ?? false });
}

export interface SessionOptions extends SiteOptions, BrowserOptions {}

/**
 * Runs `fn` with a fresh node serving the dashboard, a browser, context and
 * page, and releases all of them afterwards whatever happens.
 */
export function withDashboard(
  options: SessionOptions,
  fn: (session: BrowserSession) => Promise<void>,
): Promise<void> {
  return withBrowser(() => startDashboardSite(options), options, fn);
}

/** Waits for the debounced filters to apply and a render or two to follow. */
export function settle(ms = 450): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

/** The live rate the viewer shows, in events per second. */
export async function rate(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid="log-rate"]').getAttribute("data-rate"));
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
 * every 100 ms) once every row is drawn: new rows are drawn a few per task
 * (`log-row-pending` until their turn), so the read waits for a frame with
 * none pending (2 s at most). With `visibleOnly`, only rows whose top edge
 * is inside the scroll viewport.
 */
export function renderedRows(page: Page, visibleOnly = false): Promise<RenderedRow[]> {
  return page.locator('[data-testid="log-scroll"]').evaluate(async (scroller, visibleOnly) => {
    const until = performance.now() + 2000;
    while (
      scroller.querySelector('[data-testid="log-row-pending"]') !== null &&
      performance.now() < until
    ) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    const view = scroller.getBoundingClientRect();
    // Rows are seen below the sticky header row (out of the flow on phones).
    const body = scroller.querySelector<HTMLElement>(".log-rows");
    const viewTop = view.top + (body?.offsetTop ?? 0);
    return [...scroller.querySelectorAll<HTMLElement>('[data-testid="log-row"]')]
      .map((row) => ({ row, top: row.getBoundingClientRect().top }))
      .filter(({ top }) => !visibleOnly || (top >= viewTop - 1 && top < view.bottom - 1))
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
