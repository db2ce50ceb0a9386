/**
 * Both pages with the keyboard alone: every control is reached with Tab,
 * shows where focus is, and works with Enter, Space, the arrows and Escape.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  ARCHITUS_DEMO,
  openGuild,
  settle,
  signIn,
  visibleRows,
  waitForViewer,
  withDashboard,
} from "./_dashboard.ts";
import { botMessage, openFrontPage, withFrontPage } from "./_front_page.ts";

/** What has focus, and whether it shows: an outline, or a ring on the box it sits in. */
function focused(page: Page): Promise<{ html: string; visible: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (element === null || element === document.body) return { html: "body", visible: false };
    const ring = (el: Element | null) => {
      if (el === null) return false;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
      return outline || style.boxShadow !== "none";
    };
    const box = element.closest(".composer-box");
    return {
      html: element.outerHTML.slice(0, 120),
      visible: ring(element) || (box !== null && ring(box)),
    };
  });
}

/**
 * Presses Tab until focus lands on `selector` (at most `limit` times),
 * checking on the way that every stop shows its focus.
 */
async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const here = await focused(page);
    assert.ok(here.visible, `focus is visible on ${here.html}`);
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

Deno.test("keyboard - the dashboard: sign in, pick a server, filter, pause and scroll the log", async () => {
  await withDashboard({ logRate: 200 }, async ({ node, page, errors }) => {
    await page.goto(new URL("/app", node.url).href);
    await page.locator('[data-testid="dashboard"][data-state="signed-out"]').waitFor();

    // The skip link comes first, shows, and jumps over the header.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
    const skip = await page.locator(".skip-link").boundingBox();
    assert.ok(skip !== null && skip.y >= 0, "the skip link is on screen when focused");
    await page.keyboard.press("Enter");
    await tabTo(page, '[data-testid="sign-in-user"]', 1);

    await tabTo(page, '[data-user="architusAdmin"]');
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="dashboard"][data-state="signed-in"]').waitFor();

    await tabTo(page, `[data-testid="guild"][data-guild-id="${ARCHITUS_DEMO}"]`);
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="log-viewer"][data-phase="live"]').waitFor();
    await waitForViewer(page, "data-shown-count", (count) => count > 50);

    // The agent combobox: arrows move through the matches, Enter picks, the chip clears.
    await tabTo(page, '[data-testid="filter-agent"]');
    await page.keyboard.type("a");
    const input = page.locator('[data-testid="filter-agent"]');
    await page.locator('.agent-menu [role="option"]').first().waitFor();
    assert.equal(await input.getAttribute("aria-expanded"), "true");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    const active = await input.getAttribute("aria-activedescendant");
    assert.equal(active, "agent-option-1");
    const chosen = await page.locator(`#${active}`).getAttribute("data-agent-id");
    await page.keyboard.press("Enter");
    const chip = page.locator('[data-testid="agent-chip"]');
    await chip.waitFor();
    assert.equal(await chip.getAttribute("data-agent-id"), chosen);
    await chip.focus();
    await page.keyboard.press("Enter");
    await input.waitFor();

    // The type menu: Enter opens, Space ticks, Escape closes and gives focus back.
    await tabTo(page, '[data-testid="filter-types"] summary');
    await page.keyboard.press("Enter");
    await tabTo(page, '[data-testid="filter-types"] input[type="checkbox"]', 3);
    await page.keyboard.press("Space");
    assert.ok(await page.locator('[data-testid="filter-types"] input').first().isChecked());
    await page.keyboard.press("Escape");
    assert.equal(await page.locator('[data-testid="filter-types"]').getAttribute("open"), null);
    assert.ok(
      await page.locator('[data-testid="filter-types"] summary').evaluate((el) =>
        el === document.activeElement
      ),
    );
    await tabTo(page, ".log-toolbar .button-link"); // Clear filters
    await page.keyboard.press("Enter");

    await tabTo(page, '[data-testid="pause"]');
    await page.keyboard.press("Space");
    await page.locator('[data-testid="log-viewer"][data-paused="true"]').waitFor();
    await page.keyboard.press("Space");
    await page.locator('[data-testid="log-viewer"][data-paused="false"]').waitFor();

    // The table scrolls from the keyboard, and holds the rows being read while events arrive.
    await tabTo(page, '[data-testid="log-scroll"]');
    await page.keyboard.press("PageDown");
    await settle(300);
    const held = (await visibleRows(page))[0]?.id;
    assert.ok(held !== undefined);
    await settle(1000);
    assert.equal((await visibleRows(page))[0]?.id, held, "the view stays on the same rows");
    await page.keyboard.press("Home");
    await settle(500);
    const top = await page.locator('[data-testid="log-scroll"]').evaluate((el) => el.scrollTop);
    assert.equal(top, 0, "Home goes back to following the newest");

    // Screen readers hear a summary of the stream now and then, not every row.
    await page.locator('[data-testid="log-announcer"]').filter({ hasText: /^[\d,]+ new events?$/ })
      .waitFor({ timeout: 15_000 });
    assert.deepEqual(errors, []);
  });
});

Deno.test("keyboard - the guild's views: one tab stop, the arrows, Home and End open them", async () => {
  await withDashboard({ logRate: 20 }, async ({ node, page, errors }) => {
    await signIn(page, node, "member");
    await openGuild(page, ARCHITUS_DEMO);
    await tabTo(page, '[role="tab"][aria-selected="true"]');
    const selected = () =>
      page.evaluate(() => ({
        focused: (document.activeElement as HTMLElement | null)?.dataset.tab,
        tab: document.querySelector('[role="tab"][aria-selected="true"]')?.getAttribute("data-tab"),
        panel: document.querySelector('[role="tabpanel"]:not([hidden])')?.id,
      }));
    assert.deepEqual(await selected(), { focused: "log", tab: "log", panel: "guild-panel-log" });
    await page.keyboard.press("ArrowRight");
    assert.deepEqual(await selected(), {
      focused: "auto-responses",
      tab: "auto-responses",
      panel: "guild-panel-auto-responses",
    });
    await page.locator('[data-testid="auto-response-view"][data-ready="true"]').waitFor();
    await page.keyboard.press("End");
    assert.equal((await selected()).tab, "settings");
    await page.locator('[data-testid="settings-forbidden"]').waitFor();
    await page.keyboard.press("ArrowRight");
    assert.equal((await selected()).tab, "log", "the arrows wrap around");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Home");
    assert.equal((await selected()).tab, "log");
    // Tab leaves the tab list for the open panel (one stop for the whole list).
    await page.keyboard.press("Tab");
    assert.notEqual(await page.evaluate(() => document.activeElement?.getAttribute("role")), "tab");
    // The members list and the bot channel are reached and used from the keyboard too.
    await page.locator('[role="tab"][data-tab="members"]').focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="member"]').first().waitFor({ timeout: 10_000 });
    await tabTo(page, '[data-testid="member-search"]');
    await page.keyboard.type("a");
    await page.locator('[data-testid="member-view"][data-searching="done"]').waitFor();
    await tabTo(page, '[data-testid="member-scroll"]');
    await page.keyboard.press("PageDown");
    await tabTo(page, '[data-testid="bot-channel-input"]');
    await page.keyboard.type("!help");
    await page.keyboard.press("Enter");
    await page.locator('[data-testid="bot-line"][data-author="bot"]').waitFor({ timeout: 5_000 });
    assert.deepEqual(errors, []);
  });
});

Deno.test("keyboard - the front page: take over the demo, talk to the bot, resume it", async () => {
  await withFrontPage({}, async ({ node, page, errors }) => {
    await openFrontPage(page, node);
    await tabTo(page, '[data-channel="help"]');
    await page.keyboard.press("Enter");
    await page.locator('.demo[data-active-channel="help"]').waitFor();
    await tabTo(page, ".composer-input");
    await page.locator('[data-testid="resume-auto"]').waitFor();
    await page.keyboard.type("!help");
    await page.keyboard.press("Enter");
    await botMessage(page, "Commands:").waitFor({ timeout: 10_000 });
    await tabTo(page, '[data-testid="resume-auto"]', 3);
    await page.keyboard.press("Enter");
    await page.locator(".auto-note").filter({ hasText: "Auto demo playing" }).waitFor();
    assert.deepEqual(errors, []);
  });
});
