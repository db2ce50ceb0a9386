/**
 * The log viewer's controls: filters by type, text and agent, pause, and
 * older history asked with the filter.
 *
 * @module
 */
import assert from "node:assert/strict";
import { LogEventType } from "../../gateway/protocol/mod.ts";
import { screenshot, TEST_RESULTS } from "./_browser.ts";
import {
  ARCHITUS_DEMO,
  openGuild,
  renderedRows,
  settle,
  signIn,
  viewer,
  viewerNumber,
  visibleRows,
  waitForViewer,
  withDashboard,
} from "./_dashboard.ts";

Deno.test("dashboard - filters by type, text and agent; older history is asked with the filter", async () => {
  await withDashboard({}, async ({ node, page, errors }) => {
    await signIn(page, node, "architusAdmin");
    await openGuild(page, ARCHITUS_DEMO);
    await waitForViewer(page, "data-event-count", (count) => count > 300);

    // Type: only reactions added.
    await page.locator('[data-testid="filter-types"] summary').click();
    await page.locator(
      `[data-testid="filter-types"] input[data-type="${LogEventType.ReactionAdd}"]`,
    )
      .check();
    await page.locator(".log-title").click(); // closes the menu
    await settle();
    let rows = await visibleRows(page);
    assert.ok(rows.length > 3, `reactions are shown (${rows.length})`);
    assert.ok(rows.every((row) => row.type === LogEventType.ReactionAdd), "only reactions added");

    // Load older with the filter: older events of that type only, added below.
    const oldestBefore = await viewer(page).getAttribute("data-oldest-id") as string;
    const shownBefore = await viewerNumber(page, "data-shown-count");
    await page.locator('[data-testid="load-older"]').click();
    await waitForViewer(page, "data-shown-count", (count) => count >= shownBefore + 50);
    const oldestAfter = await viewer(page).getAttribute("data-oldest-id") as string;
    assert.ok(BigInt(oldestAfter) < BigInt(oldestBefore), "older events were loaded");
    await page.locator('[data-testid="log-scroll"]').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await settle(300);
    rows = await visibleRows(page);
    assert.ok(
      rows.some((row) => BigInt(row.id) < BigInt(oldestBefore)),
      "older rows at the bottom",
    );
    assert.ok(rows.every((row) => row.type === LogEventType.ReactionAdd));
    await page.locator('[data-testid="filter-types"] summary').click();
    await page.locator('[data-testid="filter-types"] .type-menu-head button').click();
    await page.locator(".log-title").click();

    // Free text: every visible row contains it.
    await page.locator('[data-testid="filter-text"]').fill("pinned");
    await settle();
    rows = await visibleRows(page);
    assert.ok(rows.length > 0, "rows match the text");
    assert.ok(rows.every((row) => row.text.toLowerCase().includes("pinned")));
    assert.ok(rows.some((row) => row.type !== LogEventType.ReactionAdd), "the type filter is off");
    await page.locator('[data-testid="filter-text"]').fill("");

    // Agent: clicking a row's agent shows only that agent's events.
    await settle();
    const agentButton = page.locator('[data-testid="log-row"] .agent').first();
    await agentButton.click();
    const chip = page.locator('[data-testid="agent-chip"]');
    await chip.waitFor({ timeout: 2_000 });
    const agentId = await chip.getAttribute("data-agent-id");
    await settle();
    rows = await renderedRows(page);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => row.agent === agentId), "only that agent");
    // …and older history for that agent comes from the server's filter.
    await page.locator('[data-testid="load-older"]').click();
    await settle(800);
    rows = await renderedRows(page);
    assert.ok(rows.every((row) => row.agent === agentId), "older rows are that agent's too");
    await chip.click();
    await page.locator('[data-testid="filter-agent"]').waitFor();
    await screenshot(page, `${TEST_RESULTS}/dashboard-filters.png`);
    assert.deepEqual(errors, []);
  });
});

Deno.test("dashboard - pause holds the view and counts new events; load older adds older rows", async () => {
  await withDashboard({}, async ({ node, page, errors }) => {
    await signIn(page, node, "architusAdmin");
    await openGuild(page, ARCHITUS_DEMO);
    await waitForViewer(page, "data-event-count", (count) => count > 300);

    await page.locator('[data-testid="pause"]').click();
    await page.locator('[data-testid="new-count"]').waitFor();
    await settle(200);
    const held = (await visibleRows(page)).map((row) => row.id);
    const firstCount = Number(
      await page.locator('[data-testid="new-count"]').getAttribute("data-count"),
    );
    await settle(1500);
    const laterCount = Number(
      await page.locator('[data-testid="new-count"]').getAttribute("data-count"),
    );
    assert.ok(
      laterCount > firstCount && laterCount > 100,
      `new events counted (${firstCount} → ${laterCount})`,
    );
    assert.match(
      await page.locator('[data-testid="resume"]').textContent() ?? "",
      /new events · resume/,
    );
    assert.deepEqual((await visibleRows(page)).map((row) => row.id), held, "the view holds still");
    await screenshot(page, `${TEST_RESULTS}/dashboard-paused.png`);

    await page.locator('[data-testid="resume"]').click();
    await page.locator('[data-testid="resume"]').waitFor({ state: "detached" });
    await settle(300);
    const top = (await visibleRows(page))[0];
    assert.ok(
      top !== undefined && BigInt(top.id) > BigInt(held[0] as string),
      "back to the newest",
    );

    // Load older: one more page of history, below what was there.
    const count = await viewerNumber(page, "data-event-count");
    const oldest = await viewer(page).getAttribute("data-oldest-id") as string;
    await page.locator('[data-testid="load-older"]').click();
    await waitForViewer(page, "data-event-count", (value) => value >= count + 200);
    assert.ok(BigInt(await viewer(page).getAttribute("data-oldest-id") as string) < BigInt(oldest));
    await page.locator('[data-testid="log-scroll"]').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await settle(300);
    const bottom = await visibleRows(page);
    assert.ok(bottom.length > 0);
    assert.ok(
      bottom.every((row) => BigInt(row.id) < BigInt(oldest)),
      "the older rows are at the bottom",
    );
    // Scrolled down, the rows being read stay put while new events arrive above.
    const reading = bottom.map((row) => row.id);
    await settle(800);
    assert.deepEqual((await visibleRows(page)).map((row) => row.id), reading);
    assert.deepEqual(errors, []);
  });
});
