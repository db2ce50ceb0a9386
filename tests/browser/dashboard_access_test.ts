/**
 * Who sees what: a plain member, signing out, and staff opening any guild.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEMO_GUILD_IDS } from "../../demo/mod.ts";
import { screenshot, TEST_RESULTS } from "./_browser.ts";
import {
  ARCHITUS_DEMO,
  openGuild,
  renderedRows,
  signIn,
  viewer,
  waitForViewer,
  withDashboard,
} from "./_dashboard.ts";

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
    // The toggle keeps its place in the toolbar, unseen and unusable.
    assert.ok(!(await page.locator('[data-testid="private-toggle"]').isVisible()));
    assert.ok(await page.locator('[data-testid="private-toggle"] input').isDisabled());
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

Deno.test("dashboard - the guild list shows the user's guilds without Architus, with Add Architus where they may add it", async () => {
  await withDashboard({ logRate: 20 }, async ({ node, page, errors }) => {
    await signIn(page, node, "member");
    const absent = page.locator('[data-testid="guild-without-architus"]');
    await absent.first().waitFor({ timeout: 10_000 });
    const listed = await absent.evaluateAll((els) =>
      els.map((el) => ({
        name: el.querySelector(".guild-name")?.textContent,
        canAdd: (el as HTMLElement).dataset.canAdd,
        link: el.querySelector("a")?.getAttribute("href") ?? null,
        text: el.textContent,
      }))
    );
    assert.deepEqual(listed.map((guild) => [guild.name, guild.canAdd]), [
      ["Pixel Art Club", "true"],
      ["Synth Builders", "false"],
      ["Weekend Hikers", "false"],
    ]);
    assert.equal(
      listed[0]!.link,
      "https://discord.com/oauth2/authorize?client_id=448546825532866560&scope=bot&permissions=2134207679&guild_id=601223485871603712",
    );
    assert.match(listed[1]!.text ?? "", /a server admin can add it/);
    // They are not servers to watch: the list of those keeps the user's three Architus guilds.
    assert.equal(await page.locator('[data-testid="guild"]').count(), 3);
    assert.deepEqual(errors, []);
  });
});
