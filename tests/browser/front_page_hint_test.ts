/**
 * A command typed in a demo channel that does not take it gets a hint
 * naming the channel where it works, instead of silence.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DOCS_SCREENSHOTS, screenshot } from "./_browser.ts";
import { openFrontPage, say, takeOver, withFrontPage } from "./_front_page.ts";

Deno.test("front page - !poll in #auto-response-demo is told where it works", async () => {
  await withFrontPage({}, async ({ node, page, errors }) => {
    await openFrontPage(page, node);
    await takeOver(page);
    await say(page, '!poll "lunch?" pizza, tacos');
    const hint = page.locator('.message[data-ephemeral="true"]');
    await hint.waitFor({ timeout: 5_000 });
    assert.match(
      await hint.textContent() ?? "",
      /!poll works in #polls-schedules-demo\.Only you can see this/,
    );
    // A command the channel takes gets the bot's answer and no hint.
    await say(page, "!set lunch::pizza");
    await page.locator('.message[data-author="bot"]', { hasText: 'respond to "lunch"' }).waitFor({
      timeout: 5_000,
    });
    assert.equal(await hint.count(), 1);
    await screenshot(page, `${DOCS_SCREENSHOTS}/front-page-hint.png`);
    assert.deepEqual(errors, []);
  });
});
