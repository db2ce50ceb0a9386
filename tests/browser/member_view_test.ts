/**
 * The member view in the 10,000-member Big Guild, in real Chromium against
 * a real node: the online members come with the view, the rest of the pool
 * only when the list is scrolled (counted on the wire), search reaches a
 * member deep in the pool without loading it, and the filters.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEMO_GUILD_IDS } from "../../demo/mod.ts";
import { dataset } from "../_helpers/node.ts";
import { DOCS_SCREENSHOTS, screenshot } from "./_browser.ts";
import { settle, signIn, withDashboard } from "./_dashboard.ts";
import { openTab, poolRequests, recordWire, type Wire } from "./_entity_views.ts";

const BIG = DEMO_GUILD_IDS.bigGuild;

async function openBigGuildMembers(
  page: Parameters<typeof signIn>[0],
  node: Parameters<typeof signIn>[1],
) {
  await signIn(page, node, "member");
  await page.locator(`[data-testid="guild"][data-guild-id="${BIG}"]`).click();
  await page.locator(`[data-testid="log-viewer"][data-guild-id="${BIG}"]`).waitFor();
  await openTab(page, "members");
  await page.locator('[data-testid="member"]').first().waitFor({ timeout: 15_000 });
}

/** The whole-pool member requests: `online` ones (step 1) and the rest (step 2). */
function memberLoads(wire: Wire) {
  const all = poolRequests(wire, "member", "pool_all_request");
  return {
    online: all.filter((frame) => frame.online === true),
    rest: all.filter((frame) => frame.online !== true),
  };
}

Deno.test("member view - the first screenful comes with the view; the rest of the pool only on scroll", async () => {
  await withDashboard({ logRate: 20, bigGuild: true }, async ({ node, page, errors }) => {
    const wire = recordWire(page);
    await openBigGuildMembers(page, node);
    const view = page.locator('[data-testid="member-view"]');
    const members = dataset({ bigGuild: true }).guild(BIG)!.members;
    const online = members.filter((m) => (m.status ?? "offline") !== "offline").length;
    await page.locator('[data-testid="member-view"][data-step="online"]').waitFor({
      timeout: 10_000,
    });
    await settle(1000);
    // The online members, and the few the log looked up by id.
    const loaded = Number(await view.getAttribute("data-loaded"));
    assert.ok(loaded >= online && loaded < online + 300, `${loaded} loaded, ${online} online`);
    let loads = memberLoads(wire);
    assert.equal(loads.online.length, 1, "step 1: one request for the online members");
    assert.deepEqual(loads.rest, [], "nothing more while the list is not scrolled");
    assert.equal(await view.getAttribute("data-whole"), "false");
    const drawn = await page.locator('[data-testid="member"]').count();
    assert.ok(drawn > 5 && drawn < 60, `${drawn} member lines drawn of ${online} loaded`);
    assert.equal(await page.locator('[data-testid="member"][data-status="offline"]').count(), 0);
    await screenshot(page, `${DOCS_SCREENSHOTS}/dashboard-members.png`);

    // Scrolling part-way asks nothing; near the end the rest is asked for once.
    const scroller = page.locator('[data-testid="member-scroll"]');
    await scroller.evaluate((el) => el.scrollTop = el.scrollHeight / 3);
    await settle(600);
    assert.deepEqual(memberLoads(wire).rest, []);
    await scroller.evaluate((el) => el.scrollTop = el.scrollHeight);
    await page.locator('[data-testid="member-view"][data-whole="true"]').waitFor({
      timeout: 15_000,
    });
    loads = memberLoads(wire);
    assert.equal(loads.rest.length, 1, "step 2: one request for the rest of the pool");
    const seq = loads.rest[0]!._seq;
    const chunks = wire.received.filter((f) => f._event === "pool_response" && f.seq === seq);
    assert.ok(chunks.length >= 10, `the pool came in ${chunks.length} chunks`);
    assert.equal(await view.getAttribute("data-loaded"), String(members.length));
    await scroller.evaluate((el) => el.scrollTop = el.scrollHeight);
    await page.locator('[data-testid="member"][data-status="offline"]').first().waitFor();
    assert.deepEqual(errors, []);
  });
});

Deno.test("member view - search finds a member deep in the 10,000; online only and a role filter", async () => {
  await withDashboard({ logRate: 20, bigGuild: true }, async ({ node, page, errors }) => {
    const wire = recordWire(page);
    await openBigGuildMembers(page, node);
    const guild = dataset({ bigGuild: true }).guild(BIG)!;
    // Deep in the pool, offline (not among the members loaded with the view), with a rare name.
    const deep = guild.members.slice(9_000).find((m) =>
      m.status === "offline" &&
      guild.members.filter((o) => o.name.toLowerCase().startsWith(m.name.toLowerCase())).length ===
        1
    )!;
    assert.ok(deep !== undefined);
    await page.locator('[data-testid="member-search"]').fill(deep.name);
    const found = page.locator(`[data-testid="member"][data-id="${deep.id}"]`);
    await found.waitFor({ timeout: 5_000 });
    const searches = poolRequests(wire, "member", "pool_search");
    assert.equal(searches.length, 1, "one search for the typing, debounced");
    assert.equal(searches[0]!.query, deep.name);
    assert.deepEqual(memberLoads(wire).rest, [], "found without loading the pool");
    await screenshot(page, `${DOCS_SCREENSHOTS}/dashboard-members-search.png`);

    await page.locator('[data-testid="member-search"]').fill("");
    await page.locator('[data-testid="member-view"]:not([data-searching])').waitFor();
    await page.locator('[data-testid="member-online-only"]').check();
    const helper = guild.roles.find((role) => role.name === "Helper")!;
    await page.locator('[data-testid="member-role"]').selectOption(helper.id);
    await settle(300);
    const shown = await page.locator('[data-testid="member"]').evaluateAll((els) =>
      els.map((el) => ({
        id: (el as HTMLElement).dataset.id,
        status: (el as HTMLElement).dataset.status,
      }))
    );
    const expected = guild.members.filter((m) =>
      m.roles.includes(helper.id) && (m.status ?? "offline") !== "offline"
    ).map((m) => m.id).sort();
    assert.deepEqual(shown.map((m) => m.id).sort(), expected, "online helpers, all of them");
    assert.ok(shown.every((m) => m.status !== "offline"));
    assert.deepEqual(memberLoads(wire).rest, [], "online only never needs the rest");
    assert.deepEqual(errors, []);
  });
});
