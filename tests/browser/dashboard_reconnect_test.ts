/**
 * The dashboard across lost connections: a session closed by the server,
 * and a node restart.
 *
 * @module
 */
import assert from "node:assert/strict";
import { freePort } from "../../testing/free_port.ts";
import { screenshot, TEST_RESULTS } from "./_browser.ts";
import {
  ARCHITUS_DEMO,
  openGuild,
  rate,
  settle,
  shift,
  signIn,
  startDashboardSite,
  viewer,
  viewerNumber,
  waitForViewer,
  withDashboard,
} from "./_dashboard.ts";

Deno.test("dashboard - a session closed by the server resumes with no gap", async () => {
  await withDashboard({}, async ({ node, page, errors }) => {
    await signIn(page, node, "architusAdmin");
    await openGuild(page, ARCHITUS_DEMO);
    const count = await waitForViewer(page, "data-event-count", (value) => value > 300);

    const before = new Set(node.gateway.connections);
    assert.equal(before.size, 1, "the page's connection");
    for (const session of before) session.transport.close(4009, "test");
    const deadline = Date.now() + 10_000;
    while (![...node.gateway.connections].some((session) => !before.has(session))) {
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
