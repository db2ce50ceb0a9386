/**
 * Nothing moves while a page loads: the front page and the signed-in
 * dashboard, on a desktop and a phone, from the server's HTML to the live
 * page. The browser's own Layout Instability API measures it: what
 * Lighthouse's cumulative layout shift adds up (which it observes at full
 * speed, as here).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ARCHITUS_DEMO, signIn, withDashboard } from "./_dashboard.ts";

/**
 * At most this much shift in all: a hundredth of "good" (0.1). Before the
 * fix, the dashboard on a phone shifted 0.027 (a card's margin collapsing
 * through the island, the server row growing, the bot channel panel
 * arriving below the log).
 */
const BUDGET = 0.01;

/** How long the page runs live before the shifts are read. */
const LIVE_MS = 2_000;

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 412, height: 823 },
} as const;

interface Shift {
  readonly at: number;
  readonly value: number;
  readonly sources: readonly string[];
}

/** Records every layout shift of the document from its first byte, with what moved. */
function recordShifts(): void {
  const shifts: Shift[] = [];
  (globalThis as unknown as { shifts: Shift[] }).shifts = shifts;
  const describe = (node: Node | null): string => {
    const element = node?.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    if (!(element instanceof Element)) return String(node?.nodeName);
    return `<${element.tagName.toLowerCase()} class="${element.className}"> ${
      (element.textContent ?? "").slice(0, 40)
    }`;
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const shift = entry as PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
        sources: {
          node: Node | null;
          previousRect: DOMRectReadOnly;
          currentRect: DOMRectReadOnly;
        }[];
      };
      if (shift.hadRecentInput) continue;
      shifts.push({
        at: Math.round(shift.startTime),
        value: shift.value,
        sources: shift.sources.map((source) =>
          `${describe(source.node)}: y ${Math.round(source.previousRect.y)} -> ${
            Math.round(source.currentRect.y)
          }, height ${Math.round(source.previousRect.height)} -> ${
            Math.round(source.currentRect.height)
          }`
        ),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

async function measure(page: Page, url: string, live: string): Promise<Shift[]> {
  await page.goto(url);
  await page.locator(live).first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(LIVE_MS);
  return await page.evaluate(() => (globalThis as unknown as { shifts: Shift[] }).shifts);
}

function check(name: string, shifts: readonly Shift[]): void {
  const total = shifts.reduce((sum, shift) => sum + shift.value, 0);
  const found = shifts.map((shift) =>
    `  ${shift.at} ms: ${shift.value.toFixed(4)}\n${
      shift.sources.map((source) => `    ${source}`).join("\n")
    }`
  ).join("\n");
  assert.ok(
    total <= BUDGET,
    `${name}: layout shift ${total.toFixed(4)} (at most ${BUDGET})\n${found}`,
  );
}

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  Deno.test(`layout stability - ${size}: the front page and the signed-in dashboard do not move while they load`, async () => {
    await withDashboard(
      { logRate: 5, viewport },
      async ({ node, page, errors }) => {
        await page.addInitScript(recordShifts);
        check(
          `front page, ${size}`,
          await measure(page, node.url.href, '.message[data-author="you"]'),
        );
        await signIn(page, node, "architusAdmin");
        check(
          `dashboard, ${size}`,
          await measure(
            page,
            new URL(`/app?guild=${ARCHITUS_DEMO}`, node.url).href,
            '[data-testid="log-viewer"][data-phase="live"]',
          ),
        );
        assert.deepEqual(errors, []);
      },
    );
  });
}
