import type { Page } from "playwright-core";
import type { TestNode } from "../_helpers/node.ts";
import { type BrowserOptions, type BrowserSession, startWebNode, withBrowser } from "./_browser.ts";

/** Starts a real node (gateway, demo backend, bus) with the web routes mounted. */
export function startSite(port = 0): Promise<TestNode> {
  return startWebNode({ PORT: String(port) });
}

export interface SessionOptions extends BrowserOptions {
  readonly port?: number;
}

/**
 * Runs `fn` with a fresh node serving the front page, a browser, context
 * and page, and releases all of them afterwards. `fn` may replace the node
 * (restart tests); `swapNode` keeps cleanup right.
 */
export function withFrontPage(
  options: SessionOptions,
  fn: (session: BrowserSession) => Promise<void>,
): Promise<void> {
  return withBrowser(() => startSite(options.port), options, fn);
}

/** Loads the front page and waits for the island to hydrate and connect. */
export async function openFrontPage(page: Page, node: TestNode): Promise<void> {
  await page.goto(node.url.href);
  await page.locator(".demo[data-hydrated]").waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({
    timeout: 10_000,
  });
}

/** Stops the auto-typer in the current channel the way a visitor does: by clicking the box. */
export async function takeOver(page: Page): Promise<void> {
  await page.locator(".composer-input").click();
  await page.locator('[data-testid="resume-auto"]').waitFor({ timeout: 5_000 });
}

/** Types a line as the visitor and sends it; resolves once it shows (as `shown`, when rendered). */
export async function say(page: Page, text: string, shown = text): Promise<void> {
  const input = page.locator(".composer-input");
  await input.fill(text);
  await input.press("Enter");
  await page.locator('.message[data-author="you"]').filter({ hasText: shown }).last().waitFor({
    timeout: 5_000,
  });
}

/** The newest bot message containing `text`. */
export function botMessage(page: Page, text: string | RegExp): ReturnType<Page["locator"]> {
  return page.locator('.message[data-author="bot"]').filter({ hasText: text }).last();
}

/** Switches the demo to another channel. */
export async function selectChannel(page: Page, id: string): Promise<void> {
  await page.locator(`[data-channel="${id}"]`).click();
  await page.locator(`.demo[data-active-channel="${id}"]`).waitFor({ timeout: 5_000 });
}

/**
 * Scrolls the page to the demo: its section just under the sticky header,
 * the demo window itself just under it (`window`), or the window's bottom
 * just above the viewport's (`bottom`, the whole window with what fits above).
 */
export async function scrollToDemo(
  page: Page,
  target: "section" | "window" | "bottom" = "section",
): Promise<void> {
  await page.evaluate((target) => {
    const selector = target === "section" ? "#demo" : "#demo .demo";
    const element = document.querySelector(selector);
    if (element === null) return;
    const box = element.getBoundingClientRect();
    const top = target === "bottom"
      ? box.bottom + globalThis.scrollY - globalThis.innerHeight + 16
      : box.top + globalThis.scrollY - 68;
    globalThis.scrollTo({ top, behavior: "instant" });
  }, target);
}
