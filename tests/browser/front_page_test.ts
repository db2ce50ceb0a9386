import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { freePort } from "../../testing/free_port.ts";
import { DOCS_SCREENSHOTS, screenshot, TEST_RESULTS } from "./_browser.ts";
import {
  botMessage,
  openFrontPage,
  say,
  scrollToDemo,
  selectChannel,
  startSite,
  takeOver,
  withFrontPage,
} from "./_front_page.ts";

const BOT = '.message[data-author="bot"]';

async function reactionState(
  message: ReturnType<Page["locator"]>,
  emoji: string,
): Promise<{ count: string | null; pressed: string | null }> {
  const button = message.locator(`.reaction[data-emoji="${emoji}"]`);
  return {
    count: await button.locator(".reaction-count").textContent(),
    pressed: await button.getAttribute("aria-pressed"),
  };
}

Deno.test("front page - the auto-typer plays each demo by itself", async () => {
  await withFrontPage({}, async ({ node, page, errors }) => {
    const started = Date.now();
    await openFrontPage(page, node);
    // Nobody touches the page: the script alone must make the bot answer.
    await page.locator(BOT).first().waitFor({ timeout: 15_000 });
    assert.ok(Date.now() - started < 15_000, "a bot reply within 15 s");
    assert.equal(
      await page.locator(".auto-note").first().textContent(),
      "Auto demo playing · click the box to type yourself",
    );
    // Setup lines are silent: the first visible line is the script's first step.
    assert.equal(await page.locator('.message[data-author="you"]').first().textContent(), "!help");

    // The polls channel has its own transcript; its script votes by itself too.
    await selectChannel(page, "polls-schedules-demo");
    assert.equal(await page.locator(".message").count(), 0);
    const event = botMessage(page, "cool event");
    await event.locator('.reaction-mine[data-emoji="✅"]').waitFor({ timeout: 15_000 });
    await event.filter({ hasText: "Attending (1): @you" }).waitFor({ timeout: 5_000 });
    await botMessage(page, "a hot dog is a:").locator('.reaction-mine[data-emoji="2️⃣"]')
      .waitFor({ timeout: 15_000 });
    await scrollToDemo(page, "bottom");
    await screenshot(page, `${DOCS_SCREENSHOTS}/front-page.png`);

    // Back in the first channel, its transcript is still there.
    await selectChannel(page, "auto-response-demo");
    assert.ok(await page.locator(BOT).count() >= 1);
    assert.deepEqual(errors, []);
  });
});

Deno.test("front page - auto responses: typing takes over, !set then the trigger", async () => {
  await withFrontPage({}, async ({ node, page, errors }) => {
    await openFrontPage(page, node);
    await takeOver(page);
    assert.equal(await page.locator(".composer-input").inputValue(), "");

    await say(page, "!set hi::hello");
    await botMessage(page, 'respond to "hi" with "hello"').waitFor({ timeout: 5_000 });
    await say(page, "hi");
    await page.locator(`${BOT} .message-content`).getByText("hello", { exact: true })
      .waitFor({ timeout: 5_000 });
    // Markdown and mentions are built as elements, never parsed as HTML.
    await say(page, "**bold** and <b>not html</b> <@123>", "bold and <b>not html</b> @user");
    const own = page.locator('.message[data-author="you"]').last();
    assert.equal(await own.locator("strong").textContent(), "bold");
    assert.equal(await own.locator("b").count(), 0);
    assert.equal(await own.locator(".mention").textContent(), "@user");

    // ▶ hands the channel back to the auto-typer, which picks up its script.
    const before = await page.locator(BOT).count();
    await page.locator('[data-testid="resume-auto"]').click();
    await page.locator(".auto-note", { hasText: "Auto demo playing" }).waitFor();
    await page.waitForFunction(
      ([selector, count]) => document.querySelectorAll(selector as string).length > Number(count),
      [BOT, before],
      { timeout: 15_000 },
    );
    await screenshot(page, `${TEST_RESULTS}/front-page-auto-responses.png`);
    assert.deepEqual(errors, []);
  });
});

Deno.test("front page - polls and schedules: reactions vote and the bot edits", async () => {
  await withFrontPage({}, async ({ node, page, errors }) => {
    await openFrontPage(page, node);
    await selectChannel(page, "polls-schedules-demo");
    await takeOver(page);

    await say(page, '!poll "lunch?" pizza, tacos');
    const poll = botMessage(page, "lunch?");
    await poll.locator('.reaction[data-emoji="2️⃣"]').waitFor({ timeout: 5_000 });
    assert.deepEqual(await reactionState(poll, "1️⃣"), { count: "1", pressed: "false" });
    assert.equal(await poll.locator(".edited").count(), 0);

    await poll.locator('.reaction[data-emoji="1️⃣"]').click();
    // The visitor's own click shows at once; the bot's edit follows.
    assert.deepEqual(await reactionState(poll, "1️⃣"), { count: "2", pressed: "true" });
    await poll.locator(".edited").waitFor({ timeout: 5_000 });
    await poll.filter({ hasText: "1 vote: @you" }).waitFor({ timeout: 5_000 });
    assert.equal(await poll.locator(".mention-self").first().textContent(), "@you");

    // Clicking again takes the vote back.
    await poll.locator('.reaction[data-emoji="1️⃣"]').click();
    assert.deepEqual(await reactionState(poll, "1️⃣"), { count: "1", pressed: "false" });
    await poll.filter({ hasText: "pizza — 0 votes" }).waitFor({ timeout: 5_000 });

    // An exclusive poll: the bot takes back the visitor's other vote (3101, targetsUser).
    await say(page, '!xpoll "best?" red, blue');
    const xpoll = botMessage(page, "best?");
    await xpoll.locator('.reaction[data-emoji="2️⃣"]').waitFor({ timeout: 5_000 });
    await xpoll.locator('.reaction[data-emoji="1️⃣"]').click();
    await xpoll.filter({ hasText: "red — 1 vote" }).waitFor({ timeout: 5_000 });
    await xpoll.locator('.reaction[data-emoji="2️⃣"]').click();
    await xpoll.filter({ hasText: "blue — 1 vote" }).waitFor({ timeout: 5_000 });
    await xpoll.locator('.reaction[data-emoji="1️⃣"][aria-pressed="false"]').waitFor({
      timeout: 5_000,
    });
    assert.deepEqual(await reactionState(xpoll, "2️⃣"), { count: "2", pressed: "true" });

    await say(page, "!schedule movie night 8pm");
    const event = botMessage(page, "movie night");
    await event.locator('.reaction[data-emoji="✅"]').waitFor({ timeout: 5_000 });
    await event.filter({ hasText: "When: 8:00 PM" }).waitFor();
    await event.locator('.reaction[data-emoji="✅"]').click();
    await event.filter({ hasText: "Attending (1): @you" }).waitFor({ timeout: 5_000 });
    await event.locator(".edited").waitFor();
    await screenshot(page, `${TEST_RESULTS}/front-page-polls.png`);
    assert.deepEqual(errors, []);
  });
});

Deno.test("front page - #help lists the commands", async () => {
  await withFrontPage({}, async ({ node, page, errors }) => {
    await openFrontPage(page, node);
    await selectChannel(page, "help");
    await takeOver(page);
    await say(page, "!help");
    const help = botMessage(page, "Commands:");
    await help.waitFor({ timeout: 5_000 });
    const text = await help.textContent() ?? "";
    for (const command of ["!help", "!set", "!remove", "!poll", "!xpoll", "!schedule"]) {
      assert.ok(text.includes(command), `!help lists ${command}`);
    }
    assert.ok(await help.locator("strong").count() >= 1, "**Commands:** is bold");
    assert.ok(await help.locator("code").count() >= 6, "usages are code");
    await say(page, "!help poll");
    await botMessage(page, "Example:").waitFor({ timeout: 5_000 });

    // A suggestion from the sidebar lands in the box, ready to send.
    await page.locator(".suggestion", { hasText: "!help xpoll" }).click();
    assert.equal(await page.locator(".composer-input").inputValue(), "!help xpoll");
    assert.ok(
      await page.locator(".composer-input").evaluate((el) => el === document.activeElement),
    );
    await page.locator(".composer-input").press("Enter");
    await botMessage(page, "one vote").waitFor({ timeout: 5_000 });
    assert.deepEqual(errors, []);
  });
});

Deno.test("front page - without JavaScript: hero and a static transcript", async () => {
  await withFrontPage({ javaScriptEnabled: false }, async ({ node, page }) => {
    await page.goto(node.url.href);
    assert.match(await page.locator("h1").textContent() ?? "", /Your Discord server/);
    assert.ok(await page.locator(".nojs-note").isVisible(), "the no-JavaScript note shows");
    assert.ok(await page.locator(".demo").isVisible());
    assert.equal(await page.locator(".demo[data-hydrated]").count(), 0);
    assert.equal(await page.locator(".message").count(), 8);
    await page.locator(`${BOT} .message-content`).getByText("no problem!", { exact: true })
      .waitFor();
    assert.ok(await page.locator(".composer-input").isDisabled());
    assert.equal(
      await page.locator('[data-testid="connection-state"]').getAttribute("data-state"),
      "preview",
    );
    await scrollToDemo(page);
    await screenshot(page, `${TEST_RESULTS}/front-page-no-js.png`);
  });
});

Deno.test("front page - phone width: no sideways scrolling, channels as tabs", async () => {
  await withFrontPage(
    { viewport: { width: 390, height: 844 } },
    async ({ node, page, errors }) => {
      await openFrontPage(page, node);
      await page.locator(BOT).nth(1).waitFor({ timeout: 15_000 });
      const overflow = () =>
        page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
      assert.equal(await overflow(), 0);
      assert.ok(await page.locator(".channel-items").isVisible());
      assert.ok(!(await page.locator(".server-name").isVisible()), "the sidebar collapses");
      await scrollToDemo(page, "window");
      await screenshot(page, `${DOCS_SCREENSHOTS}/front-page-phone.png`);

      await page.setViewportSize({ width: 360, height: 740 });
      assert.equal(await overflow(), 0);
      await page.evaluate(() => globalThis.scrollTo({ top: 0, behavior: "instant" }));
      await screenshot(page, `${TEST_RESULTS}/front-page-360.png`);
      assert.deepEqual(errors, []);
    },
  );
});

Deno.test("front page - the connection-lost overlay comes and goes with the node", async () => {
  const port = freePort();
  await withFrontPage(
    { port, allowErrors: /WebSocket connection to .* failed/ },
    async ({ node, page, errors, swapNode }) => {
      await openFrontPage(page, node);
      await page.locator(BOT).first().waitFor({ timeout: 15_000 });
      const overlay = page.locator('[data-testid="connection-overlay"]');
      assert.equal(await overlay.count(), 0);

      await node.shutdown(200);
      await overlay.waitFor({ timeout: 5_000 });
      assert.match(await overlay.textContent() ?? "", /Can’t reach the Architus gateway/);
      const state = await page.locator('[data-testid="connection-state"]').getAttribute(
        "data-state",
      );
      assert.ok(state === "reconnecting" || state === "connecting", `state ${state}`);
      // The auto-typer pauses: no half-typed line sits in the box.
      assert.equal(await page.locator(".composer-input").inputValue(), "");
      await scrollToDemo(page);
      await screenshot(page, `${TEST_RESULTS}/front-page-connection-lost.png`);

      const restarted = await startSite(port);
      swapNode(restarted);
      await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({
        timeout: 10_000,
      });
      await overlay.waitFor({ state: "detached", timeout: 2_000 });
      // The script restarts its set against the new node and the bot answers again.
      await page.locator(BOT).first().waitFor({ timeout: 15_000 });
      assert.deepEqual(errors, []);
    },
  );
});
