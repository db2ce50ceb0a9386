/**
 * The watched guild's entity views in real Chromium against a real node:
 * auto responses kept live across tabs by `log_pool` (a `!set` in one
 * browser context shows in another's view), channels and roles, settings
 * and the state without VIEW_SETTINGS, and a guild switch that leaves
 * nothing of the guild left.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEMO_GUILD_IDS } from "../../demo/mod.ts";
import { dataset } from "../_helpers/node.ts";
import { DOCS_SCREENSHOTS, screenshot } from "./_browser.ts";
import { ARCHITUS_DEMO, openGuild, settle, signIn, withDashboard } from "./_dashboard.ts";
import { botSay, openTab, poolRequests, recordWire } from "./_entity_views.ts";

const STUDY_HALL = DEMO_GUILD_IDS.studyHall;

Deno.test("entity views - a !set in one browser context shows in another's auto responses within a second, and !remove takes it away", async () => {
  await withDashboard({ logRate: 20 }, async ({ node, browser, page, errors }) => {
    // The watcher: the Architus admin, on Architus Demo's auto responses.
    await signIn(page, node, "architusAdmin");
    await openGuild(page, ARCHITUS_DEMO);
    await openTab(page, "auto-responses");
    const view = page.locator('[data-testid="auto-response-view"][data-ready="true"]');
    await view.waitFor({ timeout: 10_000 });
    const before = Number(await view.getAttribute("data-count"));
    assert.ok(before > 5, `${before} auto responses listed`);
    await page.evaluate(() => (globalThis as { stillHere?: boolean }).stillHere = true);

    // The writer: a plain member in a browser context of its own, in the bot channel.
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const writer = await other.newPage();
      await signIn(writer, node, "member");
      await openGuild(writer, ARCHITUS_DEMO);
      const trigger = `hello${Date.now() % 100000}`;
      const row = `[data-testid="auto-response"][data-trigger="${trigger}"]`;

      const sentAt = Date.now();
      await writer.locator('[data-testid="bot-channel-input"]').fill(`!set ${trigger}::Hi there!`);
      await writer.locator('[data-testid="bot-channel-input"]').press("Enter");
      await page.locator(row).waitFor({ timeout: 1_000 });
      const shownAfter = Date.now() - sentAt;
      assert.ok(shownAfter < 1_000, `shown ${shownAfter} ms after the !set`);
      assert.equal(await page.locator(row).getAttribute("data-fresh"), "true", "marked as new");
      assert.match(await page.locator(row).textContent() ?? "", /Hi there!.*demo_member|Mia/);
      assert.equal(await view.getAttribute("data-count"), String(before + 1));
      assert.match(
        await page.locator('[data-testid="view-announcer"]').textContent() ?? "",
        new RegExp(`“${trigger}” added`),
      );
      await writer.locator('[data-testid="bot-line"][data-author="bot"]').filter({
        hasText: "Sure thing",
      }).waitFor({ timeout: 5_000 });
      await screenshot(page, `${DOCS_SCREENSHOTS}/dashboard-auto-responses.png`);

      // The writer's own view follows too, without asking again.
      await openTab(writer, "auto-responses");
      await writer.locator(row).waitFor({ timeout: 5_000 });
      await screenshot(writer, `${DOCS_SCREENSHOTS}/dashboard-bot-channel.png`);

      const removedAt = Date.now();
      await botSay(writer, `!remove ${trigger}`, "Done");
      await page.locator(row).waitFor({ state: "detached", timeout: 1_000 });
      assert.ok(Date.now() - removedAt < 2_000);
      assert.equal(await view.getAttribute("data-count"), String(before));
      assert.equal(await writer.locator(row).count(), 0);
    } finally {
      await other.close();
    }
    assert.equal(
      await page.evaluate(() => (globalThis as { stillHere?: boolean }).stillHere),
      true,
      "no reload",
    );
    assert.deepEqual(errors, []);
  });
});

Deno.test("entity views - channels and roles in Discord's order; settings for admins, and why not for a member", async () => {
  await withDashboard({ logRate: 20 }, async ({ node, browser, page, errors }) => {
    const wire = recordWire(page);
    await signIn(page, node, "member");
    await openGuild(page, ARCHITUS_DEMO);
    await openTab(page, "channels-roles");
    await page.locator('[data-testid="channel-role-view"][data-ready="true"]').waitFor({
      timeout: 10_000,
    });
    const guild = dataset().guild(ARCHITUS_DEMO)!;
    const roles = await page.locator('[data-testid="role"]').evaluateAll((els) =>
      els.map((el) => el.querySelector(".cr-name")?.textContent)
    );
    const expected = [...guild.roles].sort((a, b) => b.position - a.position).map((r) => r.name);
    assert.deepEqual(roles, expected, "roles highest first, @everyone last");
    const text = await page.locator('[data-testid="channel"][data-kind="text"]').evaluateAll((
      els,
    ) => els.map((el) => el.querySelector(".cr-name")?.textContent));
    const texts = guild.channels.filter((c) => c.type === "text").sort((a, b) =>
      (a.position ?? 0) - (b.position ?? 0)
    ).map((c) => c.name);
    assert.deepEqual(text, texts, "text channels in their Discord positions");
    assert.ok(await page.locator('[data-testid="channel"][data-kind="voice"]').count() > 0);
    await screenshot(page, `${DOCS_SCREENSHOTS}/dashboard-channels-roles.png`);

    // A plain member (0x012) lacks VIEW_SETTINGS: the view says so, and asks nothing.
    await openTab(page, "settings");
    await page.locator('[data-testid="settings-forbidden"]').waitFor({ timeout: 5_000 });
    assert.match(
      await page.locator('[data-testid="settings-forbidden"]').textContent() ?? "",
      /can’t view Architus Demo’s settings.*View settings/,
    );
    assert.equal(await page.locator('[data-testid="setting"]').count(), 0);
    await settle(500);
    assert.deepEqual(poolRequests(wire, "setting_value"), [], "no settings request");
    await screenshot(page, `${DOCS_SCREENSHOTS}/dashboard-settings-no-access.png`);

    // The owner sees the values, channels and roles by name.
    const owner = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const ownerPage = await owner.newPage();
      await signIn(ownerPage, node, "architusAdmin");
      await openGuild(ownerPage, ARCHITUS_DEMO);
      await openTab(ownerPage, "settings");
      await ownerPage.locator('[data-testid="settings-view"][data-state="ready"]').waitFor({
        timeout: 10_000,
      });
      assert.equal(
        await ownerPage.locator('[data-testid="setting"]').count(),
        guild.settings.length,
      );
      const prefix = ownerPage.locator('[data-testid="setting"][data-id="prefix"]');
      assert.match(await prefix.textContent() ?? "", /Command prefix.*!/);
      const logChannel = ownerPage.locator('[data-testid="setting"][data-id="log_channel_id"]');
      await logChannel.locator(".chip", { hasText: "#mod-log" }).waitFor({ timeout: 5_000 });
      await settle(300);
      await screenshot(ownerPage, `${DOCS_SCREENSHOTS}/dashboard-settings.png`);
    } finally {
      await owner.close();
    }
    assert.deepEqual(errors, []);
  });
});

Deno.test("entity views - switching guild re-requests every view and leaves nothing of the old guild", async () => {
  await withDashboard({ logRate: 20 }, async ({ node, page, errors }) => {
    const wire = recordWire(page);
    await signIn(page, node, "member");
    await openGuild(page, ARCHITUS_DEMO);
    await openTab(page, "auto-responses");
    const view = page.locator('[data-testid="auto-response-view"][data-ready="true"]');
    await view.waitFor({ timeout: 10_000 });
    const shown = () =>
      page.locator('[data-testid="auto-response"]').evaluateAll((els) =>
        els.map((el) => (el as HTMLElement).dataset.id)
      );
    const demoIds = new Set(await shown());
    assert.ok(demoIds.size > 5);

    await page.locator(`[data-testid="guild"][data-guild-id="${STUDY_HALL}"]`).click();
    // At once, before any answer: no row of Architus Demo, a view of Study Hall.
    const right = await page.evaluate(() => ({
      guild: document.querySelector('[data-testid="auto-response-view"]')?.getAttribute(
        "data-guild-id",
      ),
      ids: [...document.querySelectorAll<HTMLElement>('[data-testid="auto-response"]')].map((el) =>
        el.dataset.id
      ),
    }));
    assert.equal(right.guild, STUDY_HALL);
    assert.ok(right.ids.every((id) => !demoIds.has(id!)), "no row of the old guild right after");
    await page.locator(
      `[data-testid="auto-response-view"][data-guild-id="${STUDY_HALL}"][data-ready="true"]`,
    ).waitFor({ timeout: 10_000 });
    const studyIds = await shown();
    const expected = dataset().guild(STUDY_HALL)!.autoResponses.map((r) => r.id).sort();
    assert.deepEqual([...studyIds].sort(), expected, "exactly Study Hall's auto responses");
    const asked = poolRequests(wire, "auto_response", "pool_all_request").map((f) => f.guild_id);
    assert.deepEqual(asked, [ARCHITUS_DEMO, STUDY_HALL]);

    // Every other view asks again for the new guild, and back again for the first.
    await openTab(page, "channels-roles");
    await page.locator(
      `[data-testid="channel-role-view"][data-guild-id="${STUDY_HALL}"][data-ready="true"]`,
    ).waitFor({ timeout: 10_000 });
    const studyRoles = new Set(dataset().guild(STUDY_HALL)!.roles.map((r) => r.id));
    const roleIds = await page.locator('[data-testid="role"]').evaluateAll((els) =>
      els.map((el) => (el as HTMLElement).dataset.id)
    );
    assert.ok(roleIds.length > 0 && roleIds.every((id) => studyRoles.has(id!)));
    await page.locator(`[data-testid="guild"][data-guild-id="${ARCHITUS_DEMO}"]`).click();
    await page.locator(
      `[data-testid="channel-role-view"][data-guild-id="${ARCHITUS_DEMO}"][data-ready="true"]`,
    ).waitFor({ timeout: 10_000 });
    const roleAsks = poolRequests(wire, "role", "pool_all_request").map((f) => f.guild_id);
    assert.deepEqual(roleAsks.filter((id) => id === ARCHITUS_DEMO).length, 2, "asked again");
    assert.deepEqual(errors, []);
  });
});
