import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { DEMO_GUILD_IDS } from "../../demo/mod.ts";
import { LogEventType } from "../../gateway/protocol/mod.ts";
import {
  ARCHITUS_DEMO,
  DOCS_SCREENSHOTS,
  freePort,
  openGuild,
  renderedRows,
  screenshot,
  shift,
  signIn,
  startDashboardSite,
  TEST_RESULTS,
  viewer,
  viewerNumber,
  visibleRows,
  waitForViewer,
  withDashboard,
} from "./_dashboard.ts";

const OWNER_ID = "405016269205536769";

async function rate(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid="log-rate"]').getAttribute("data-rate"));
}

async function connectionState(page: Page): Promise<string | null> {
  return await viewer(page).locator('[data-testid="connection-state"]').getAttribute("data-state");
}

/** Waits for the debounced filters to apply and a render or two to follow. */
function settle(ms = 450): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

Deno.test("dashboard - a session closed by the server resumes with no gap", async () => {
  await withDashboard({}, async ({ node, page, errors }) => {
    await signIn(page, node, "architusAdmin");
    await openGuild(page, ARCHITUS_DEMO);
    const count = await waitForViewer(page, "data-event-count", (value) => value > 300);

    const before = new Set(node.gateway.sessions);
    assert.equal(before.size, 1, "the page's connection");
    for (const session of before) session.transport.close(4009, "test");
    const deadline = Date.now() + 10_000;
    while (![...node.gateway.sessions].some((session) => !before.has(session))) {
      if (Date.now() > deadline) throw new Error("the page did not reconnect");
      await settle(50);
    }
    await viewer(page).locator('[data-testid="connection-state"][data-state="connected"]')
      .waitFor({ timeout: 10_000 });
    // Well past the reconnect: the replay and live events after it.
    await waitForViewer(page, "data-event-count", (value) => value > count + 600);

    const attrs = await viewer(page).evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    assert.equal(attrs.gaps, "0");
    assert.equal(attrs.reloads, "0", "the resume was replayed, not reloaded");
    const oldest = attrs.oldestId as string;
    const newest = attrs.newestId as string;
    const history = node.demo!.history.query({
      guildId: ARCHITUS_DEMO,
      after: shift(oldest, -1),
      before: shift(newest, 1),
      limit: 1_000_000,
      includePrivate: true,
    });
    // Every event the page holds is in that range; as many as the server has means all of them.
    assert.equal(Number(attrs.eventCount), history.events.length, "contiguous with the history");
    assert.deepEqual(errors, []);
  });
});

Deno.test("dashboard - after a node restart the page reconnects and streams again", async () => {
  const port = freePort();
  await withDashboard(
    { port, allowErrors: /WebSocket connection to .* failed/ },
    async ({ node, page, errors, swapNode }) => {
      await signIn(page, node, "architusAdmin");
      await openGuild(page, ARCHITUS_DEMO);
      await waitForViewer(page, "data-event-count", (value) => value > 300);

      await node.shutdown(200);
      await viewer(page).locator('[data-testid="connection-state"]:not([data-state="connected"])')
        .waitFor({ timeout: 5_000 });
      const count = await viewerNumber(page, "data-event-count");
      const newest = await viewer(page).getAttribute("data-newest-id") as string;
      await screenshot(page, `${TEST_RESULTS}/dashboard-reconnecting.png`);

      swapNode(await startDashboardSite({ port }));
      await viewer(page).locator('[data-testid="connection-state"][data-state="connected"]')
        .waitFor({ timeout: 10_000 });
      await waitForViewer(page, "data-event-count", (value) => value > count + 300);
      const newer = await viewer(page).getAttribute("data-newest-id") as string;
      assert.ok(BigInt(newer) > BigInt(newest), "events of the new node arrive");
      assert.equal(await viewer(page).getAttribute("data-phase"), "live");
      assert.ok(await rate(page) > 0);
      assert.deepEqual(errors, []);
    },
  );
});

Deno.test("dashboard - a plain member sees no private events; staff open a guild by id", async () => {
  await withDashboard({}, async ({ node, page, errors }) => {
    await signIn(page, node, "member");
    const guilds = page.locator('[data-testid="guild"]');
    await guilds.first().waitFor({ timeout: 10_000 });
    assert.equal(await guilds.count(), 3);
    await openGuild(page, ARCHITUS_DEMO);
    assert.equal(await page.locator('[data-testid="tier"]').textContent(), "Member");
    await waitForViewer(page, "data-event-count", (value) => value > 400);
    await page.locator('[data-testid="load-older"]').click();
    await waitForViewer(page, "data-event-count", (value) => value > 600);
    assert.equal(await viewer(page).getAttribute("data-private-visible"), "false");
    assert.equal(await page.locator('[data-testid="private-toggle"]').count(), 0);
    assert.equal(await page.locator('[data-testid="private-legend"]').count(), 0);
    const rows = await renderedRows(page);
    assert.ok(rows.length > 10);
    assert.ok(rows.every((row) => !row.private), "no private event is shown");
    assert.equal(await page.locator(".private-badge").count(), 0);
    await screenshot(page, `${TEST_RESULTS}/dashboard-member.png`);

    // Sign out: the cookie goes, the picker comes back.
    await page.locator('[data-testid="sign-out"]').click();
    await page.locator('[data-testid="dashboard"][data-state="signed-out"]').waitFor({
      timeout: 10_000,
    });
    assert.equal(
      (await page.context().cookies()).filter((cookie) => cookie.name === "dev-token").length,
      0,
    );
    await screenshot(page, `${TEST_RESULTS}/dashboard-sign-in.png`);

    // Staff belong to no guild: the demo guilds are offered, and any id opens.
    await page.locator('[data-testid="sign-in-user"][data-user="staff"]').click();
    await page.locator('[data-testid="dashboard"][data-state="signed-in"]').waitFor({
      timeout: 10_000,
    });
    await page.locator('[data-testid="quick-guilds"] [data-testid="guild"]').first().waitFor();
    assert.equal(
      await page.locator('[data-testid="quick-guilds"] [data-testid="guild"]').count(),
      4,
    );
    await page.locator('[data-testid="guild-id-input"]').fill(DEMO_GUILD_IDS.gamingLounge);
    await page.locator('[data-testid="guild-id-input"]').press("Enter");
    await page.locator(
      `[data-testid="log-viewer"][data-guild-id="${DEMO_GUILD_IDS.gamingLounge}"][data-phase="live"]`,
    ).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('[data-testid="tier"]').textContent(), "Architus staff");
    await waitForViewer(page, "data-event-count", (value) => value > 100);
    assert.ok(await page.locator('[data-testid="private-legend"]').isVisible());
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
    assert.ok(!(await page.locator(".log-head").isVisible()), "no column headers");
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
