/**
 * The dashboard watching a guild live: sign-in, names, private events, the
 * live rate, a busy stream and a phone's width.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { DOCS_SCREENSHOTS, screenshot } from "./_browser.ts";
import {
  ARCHITUS_DEMO,
  openGuild,
  rate,
  renderedRows,
  settle,
  signIn,
  viewer,
  viewerNumber,
  waitForViewer,
  withDashboard,
} from "./_dashboard.ts";

const OWNER_ID = "405016269205536769";

async function connectionState(page: Page): Promise<string | null> {
  return await viewer(page).locator('[data-testid="connection-state"]').getAttribute("data-state");
}

Deno.test("dashboard - the Architus admin signs in, opens Architus Demo and watches it live", async () => {
  await withDashboard({}, async ({ node, page, errors }) => {
    await signIn(page, node, "architusAdmin");
    assert.equal(
      await page.locator('[data-testid="dashboard"]').getAttribute("data-user-id"),
      OWNER_ID,
    );
    // The partial_guild pool: the owner's two guilds, with coloured initials for icons.
    const guilds = page.locator('[data-testid="guild"]');
    await guilds.first().waitFor({ timeout: 10_000 });
    assert.deepEqual(await guilds.evaluateAll((els) => els.map((el) => el.textContent)), [
      "ADArchitus Demo250 members · admin",
      "SHStudy Hall40 members",
    ]);

    await openGuild(page, ARCHITUS_DEMO);
    assert.equal(await page.locator('[data-testid="tier"]').textContent(), "Architus admin");
    await waitForViewer(page, "data-event-count", (count) => count > 400);
    assert.ok((await renderedRows(page)).length > 10, "rows are rendered");
    const deadline = Date.now() + 5_000;
    while (await rate(page) < 100 && Date.now() < deadline) await settle(200);
    assert.ok(await rate(page) > 100, `the live rate is shown (${await rate(page)}/s)`);
    assert.equal(await connectionState(page), "connected");

    // Private events carry the lock, and the legend and toggle are there for an admin.
    await page.locator('[data-testid="log-row"][data-private="true"] .private-badge').first()
      .waitFor({ timeout: 10_000 });
    assert.ok(await page.locator('[data-testid="private-legend"]').isVisible());
    assert.ok(await page.locator('[data-testid="private-toggle"]').isVisible());
    assert.equal(await viewer(page).getAttribute("data-private-visible"), "true");

    // Agents and mentions resolve to member names (batched pool_request by ids).
    await page.locator('[data-testid="log-row"] .agent:not(.agent-pending)').first().waitFor({
      timeout: 5_000,
    });
    await page.locator('[data-testid="log-row"] .chip-user:not(.chip-pending)').first().waitFor({
      timeout: 5_000,
    });
    await page.locator('[data-testid="log-row"] .chip-channel:not(.chip-pending)').first()
      .waitFor({ timeout: 5_000 });
    const chip = await page.locator('[data-testid="log-row"] .chip-user:not(.chip-pending)')
      .first().textContent();
    assert.match(chip ?? "", /^@\D/, "a mention chip shows a name, not an id");
    // Content is text: no markup from an event reaches the DOM as elements.
    assert.equal(await page.locator(".log-text script, .log-text img").count(), 0);

    // A moment when names have settled, for the picture.
    await settle(1200);
    await screenshot(page, `${DOCS_SCREENSHOTS}/dashboard.png`);
    assert.deepEqual(errors, []);
  });
});

Deno.test("dashboard - stays responsive at 2000 events per second", async () => {
  await withDashboard({ logRate: 2000 }, async ({ node, page, errors }) => {
    await signIn(page, node, "architusAdmin");
    await openGuild(page, ARCHITUS_DEMO);
    await waitForViewer(page, "data-event-count", (value) => value > 1000);

    const gaps = await page.evaluate(() =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        const start = performance.now();
        let last = start;
        const tick = (now: number) => {
          out.push(now - last);
          last = now;
          if (now - start < 2000) requestAnimationFrame(tick);
          else resolve(out);
        };
        requestAnimationFrame(tick);
      })
    );
    gaps.sort((a, b) => a - b);
    const p95 = gaps[Math.floor(gaps.length * 0.95)] as number;
    assert.ok(p95 < 100, `p95 frame gap ${p95.toFixed(1)} ms`);
    assert.ok(gaps.length > 30, `${gaps.length} frames in 2 s`);

    const rows = await page.locator('[data-testid="log-row"]').count();
    const events = await viewerNumber(page, "data-event-count");
    assert.ok(events > 1500, `${events} events held`);
    assert.ok(rows > 10 && rows < 80, `${rows} rows in the DOM for ${events} events`);
    assert.ok(await rate(page) > 300, `rate ${await rate(page)}/s`);
    assert.deepEqual(errors, []);
  });
});

Deno.test("dashboard - phone width: columns collapse, nothing scrolls sideways", async () => {
  await withDashboard({ viewport: { width: 390, height: 844 } }, async ({ node, page, errors }) => {
    await signIn(page, node, "architusAdmin");
    await openGuild(page, ARCHITUS_DEMO);
    await waitForViewer(page, "data-event-count", (value) => value > 300);
    await page.locator('[data-testid="log-row"] .agent:not(.agent-pending)').first().waitFor({
      timeout: 5_000,
    });
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - globalThis.innerWidth
    );
    assert.equal(overflow, 0);
    // No column headers on screen; they stay for screen readers.
    const head = await page.locator(".log-head").boundingBox();
    assert.ok(
      head !== null && head.width <= 1 && head.height <= 1,
      `no column headers shown: ${JSON.stringify(head)}`,
    );
    assert.deepEqual(await page.getByRole("columnheader").allTextContents(), [
      "Time",
      "Type",
      "Agent",
      "Content",
    ]);
    assert.ok(!(await page.locator('[data-testid="log-row"] .log-channel').first().isVisible()));
    // Read in one go inside the page: the list redraws while a test looks.
    const heights = await page.locator('[data-testid="log-scroll"]').evaluate((scroller) =>
      [...scroller.querySelectorAll('[data-testid="log-row"]')].map((row) =>
        row.getBoundingClientRect().height
      )
    );
    assert.ok(heights.length > 0 && heights.every((height) => height > 40), "rows take two lines");
    await settle(1000);
    await screenshot(page, `${DOCS_SCREENSHOTS}/dashboard-phone.png`);
    assert.deepEqual(errors, []);
  });
});
