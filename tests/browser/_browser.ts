/**
 * What both browser suites share: the island build, a real node with the
 * pages mounted, headless Chromium, and a session that releases all of
 * them whatever happens.
 *
 * @module
 */
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { buildIslands, type IslandAssets } from "../../build.ts";
import type { TestNode } from "../_helpers/node.ts";
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
function testAssets(): Promise<IslandAssets> {
  return built ??= (async () => {
    builtDir = await Deno.makeTempDir({ prefix: "architus-islands-" });
    return await buildIslands({ outDir: builtDir });
  })();
}

globalThis.addEventListener("unload", () => {
  if (builtDir !== undefined) Deno.removeSync(builtDir, { recursive: true });
});

/** Waits until `/usr/bin/chromium` exists (it may still be installing). */
async function chromiumReady(timeoutMs = 120_000): Promise<void> {
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

/**
 * Starts a real node (gateway, embedded demo backend, bus) with the pages
 * mounted; `env` adds to the test defaults. With `devSignIn`, the node's
 * configuration is handed to the pages, so the development sign-in mints
 * tokens the gateway accepts. With `bigGuild`, Big Guild has its 10,000
 * members (else 300).
 */
export async function startWebNode(
  env: Record<string, string>,
  options: { devSignIn?: boolean; bigGuild?: boolean } = {},
): Promise<TestNode> {
  const assets = await testAssets();
  return startTestNode({ LOG_LEVEL: "warn", ...env }, {
    bigGuild: options.bigGuild ?? false,
    mount: (app, gateway) =>
      mountRoutes(app, options.devSignIn ? { assets, config: gateway.config } : { assets }),
  });
}

export interface BrowserSession {
  readonly node: TestNode;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors seen so far. */
  readonly errors: string[];
  /** Replaces the node (restart tests) so cleanup shuts down the right one. */
  swapNode(next: TestNode): void;
}

export interface BrowserOptions {
  readonly viewport?: { width: number; height: number };
  readonly javaScriptEnabled?: boolean;
  /** Console errors matching this are expected (a refused WebSocket while the node is down). */
  readonly allowErrors?: RegExp;
}

/**
 * Runs `fn` with a node from `startNode`, a browser, context and page, and
 * releases all of them afterwards whatever happens, so Deno's sanitizers
 * stay quiet.
 */
export async function withBrowser(
  startNode: () => Promise<TestNode>,
  options: BrowserOptions,
  fn: (session: BrowserSession) => Promise<void>,
): Promise<void> {
  await chromiumReady();
  let node: TestNode | undefined = await startNode();
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

/** Saves a screenshot, creating the directory. */
export async function screenshot(page: Page, path: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  // A pointer left where an earlier click was would show a stray hover.
  await page.mouse.move(0, 0);
  await page.screenshot({ path });
}
