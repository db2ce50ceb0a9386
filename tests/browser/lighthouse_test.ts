/**
 * Lighthouse 12 with its mobile defaults on the front page and on the
 * signed-in dashboard (watching a guild's log live), against a real node
 * as `deno task start` runs it: 100 in accessibility, best practices and
 * SEO in every run, and 100 in performance as the median of the runs. A
 * failure prints Lighthouse's own findings; every run is also written to
 * test-results/lighthouse/.
 *
 * @module
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { dataset, tokenFor } from "../_helpers/node.ts";
import { CHROMIUM, CHROMIUM_ARGS, TEST_RESULTS } from "./_browser.ts";
import { ARCHITUS_DEMO, startDashboardSite } from "./_dashboard.ts";
import {
  CATEGORIES,
  formatLighthouse,
  type LighthouseReport,
  runLighthouse,
} from "./_lighthouse.ts";

/**
 * Performance is measured, here on a machine shared with other builds, so
 * one run can land well off (one in several did, at 86 with 570 ms of
 * blocking time, between two runs at 100): Lighthouse's own advice is the
 * median of five runs. The other categories do not vary and must be 100 in
 * every run.
 */
const PERFORMANCE_RUNS = 5;

/**
 * Performance is simulated from the CPU time the page's tasks took on this
 * host, which shares two cores with the node under test and Lighthouse
 * itself, so one run can land a point or two off. The median of five must
 * be 100: the dashboard watching a guild with a page of log history, names
 * and rich content, new events arriving; the front page hydrating and
 * starting its demo. (Medians were 93–94 for the dashboard before its first
 * frames were split into short tasks, 99 for both pages before the front
 * page adopted its preview and the dashboard stopped moving as it loads;
 * see the README.)
 */
const PERFORMANCE_FLOOR = 100;

/** Runs Lighthouse until the median performance score is settled (three runs when they agree). */
async function audit(
  url: string,
  headers?: Record<string, string>,
): Promise<LighthouseReport[]> {
  const runs: LighthouseReport[] = [];
  while (runs.length < PERFORMANCE_RUNS) {
    const report = await runLighthouse(url, { headers });
    runs.push(report);
    const enough = runs.filter((run) => (run.scores.performance ?? 0) >= PERFORMANCE_FLOOR).length;
    const short = runs.length - enough;
    if (enough > PERFORMANCE_RUNS / 2 || short > PERFORMANCE_RUNS / 2) break;
    if (CATEGORIES.some((c) => c !== "performance" && report.scores[c] !== 100)) break;
  }
  return runs;
}

async function keep(name: string, runs: readonly LighthouseReport[]): Promise<void> {
  const dir = `${TEST_RESULTS}/lighthouse`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/${name}.txt`, runs.map(formatLighthouse).join("\n\n") + "\n");
}

/**
 * Lighthouse sends `headers` the way Playwright's `extraHTTPHeaders` does
 * (DevTools' extra headers, WebSocket handshake included): the same page
 * with them must be the signed-in dashboard with a live log, or the audit
 * would be of the sign-in page.
 */
async function assertSignedIn(url: string, headers: Record<string, string>): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ extraHTTPHeaders: headers });
    await page.goto(url);
    await page.locator('[data-testid="log-viewer"][data-phase="live"]').waitFor({
      timeout: 10_000,
    });
  } finally {
    await browser.close();
  }
}

function check(runs: readonly LighthouseReport[]): void {
  const found = runs.map(formatLighthouse).join("\n\n");
  for (const category of CATEGORIES) {
    if (category === "performance") continue;
    for (const run of runs) assert.equal(run.scores[category], 100, `${category}\n${found}`);
  }
  const performance = runs.map((run) => run.scores.performance ?? 0).sort((a, b) => a - b);
  const median = performance[Math.floor(performance.length / 2)];
  assert.ok(
    (median ?? 0) >= PERFORMANCE_FLOOR,
    `performance, median of ${performance.join(", ")} (at least ${PERFORMANCE_FLOOR})\n${found}`,
  );
}

Deno.test("lighthouse - the front page and the signed-in dashboard: 100 in all four categories (performance: the median of five runs)", async (t) => {
  // The demo's log rate as `deno task start` has it.
  const node = await startDashboardSite({ logRate: 5 });
  try {
    const owner = dataset().demoUsers.architusAdmin.id;
    const cookie = `dev-token=${await tokenFor(owner)}`;
    const targets = [
      { name: "front-page", url: node.url.href, headers: undefined },
      {
        name: "dashboard",
        url: new URL(`/app?guild=${ARCHITUS_DEMO}`, node.url).href,
        headers: { Cookie: cookie },
      },
    ];
    for (const target of targets) {
      await t.step(target.name, async () => {
        if (target.headers !== undefined) await assertSignedIn(target.url, target.headers);
        const runs = await audit(target.url, target.headers);
        await keep(target.name, runs);
        check(runs);
      });
    }
  } finally {
    await node.shutdown(200);
  }
});
