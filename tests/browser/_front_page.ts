import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import type { TestNode } from "../_helpers/node.ts";
import { buildIslands, type IslandAssets } from "../../build.ts";
import { mountRoutes } from "../../routes/mod.ts";
import { startTestNode } from "../_helpers/node.ts";

/** Debian's Chromium; `/usr/bin/chromium` is a wrapper script around the real binary. */
export const CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);
/** Screenshots meant for the README and reviews. */
export const DOCS_SCREENSHOTS = `${ROOT}docs/screenshots`;
/** Screenshots for debugging a run; git-ignored. */
export const TEST_RESULTS = `${ROOT}test-results`;

let built: Promise<IslandAssets> | undefined;
let builtDir: string | undefined;

/** The island assets, built once per test module into a temporary directory. */
export function testAssets(): Promise<IslandAssets> {
  return built ??= (async () => {
    builtDir = await Deno.makeTempDir({ prefix: "architus-islands-" });
    return await buildIslands({ outDir: builtDir });
  })();
}

globalThis.addEventListener("unload", () => {
  if (builtDir !== undefined) Deno.removeSync(builtDir, { recursive: true });
});

/** Waits until `/usr/bin/chromium` exists (it may still be installing). */
export async function chromiumReady(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await Deno.stat(CHROMIUM);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${CHROMIUM} did not appear`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** A port nobody listens on right now, for a node that must come back on the same one. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Starts a real node (gateway, demo backend, bus) with the web routes mounted. */
export async function startSite(port = 0): Promise<TestNode> {
  const assets = await testAssets();
  return startTestNode({ PORT: String(port), LOG_LEVEL: "warn" }, {
    mount: (app) => mountRoutes(app, { assets }),
  });
}

export interface FrontPageSession {
  readonly node: TestNode;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors seen so far. */
  readonly errors: string[];
}

export interface SessionOptions {
  readonly viewport?: { width: number; height: number };
  readonly javaScriptEnabled?: boolean;
  readonly port?: number;
  /** Console errors matching this are expected (a refused WebSocket while the node is down). */
  readonly allowErrors?: RegExp;
}

/**
 * Runs `fn` with a fresh node, browser, context and page, and releases all
 * of them afterwards whatever happens, so Deno's sanitizers stay quiet.
 * `fn` may replace the node (restart tests); `swapNode` keeps cleanup right.
 */
export async function withFrontPage(
  options: SessionOptions,
  fn: (
    session: FrontPageSession & { swapNode(next: TestNode): void },
  ) => Promise<void>,
): Promise<void> {
  await chromiumReady();
  let node: TestNode | undefined = await startSite(options.port);
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      javaScriptEnabled: options.javaScriptEnabled ?? true,
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

/** Saves a screenshot, creating the directory. */
export async function screenshot(page: Page, path: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  // A pointer left where an earlier click was would show a stray hover.
  await page.mouse.move(0, 0);
  await page.screenshot({ path });
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
