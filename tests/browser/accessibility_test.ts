/**
 * axe-core on every page state (`_page_states.ts`): zero violations of
 * WCAG 2.x A/AA and axe's best practices, in real Chromium against a real
 * node. A failure prints axe's own findings.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type AxeReport, formatAxeViolations, runAxe } from "./_axe.ts";
import { withDashboard } from "./_dashboard.ts";
import { PAGE_STATES } from "./_page_states.ts";

Deno.test("accessibility - axe-core finds no violation in any page state", async (t) => {
  await withDashboard({ logRate: 50 }, async ({ node, browser }) => {
    for (const state of PAGE_STATES) {
      await t.step(state.name, async () => {
        const context = await browser.newContext({
          viewport: state.viewport ?? { width: 1280, height: 800 },
        });
        let report: AxeReport;
        try {
          const page = await context.newPage();
          await state.open(page, node);
          report = await runAxe(page);
        } finally {
          await context.close();
        }
        assert.ok(report.passes > 10, `axe ${report.version} ran its rules`);
        assert.equal(
          report.violations.length,
          0,
          `axe-core ${report.version} on "${state.name}":\n${formatAxeViolations(report)}`,
        );
      });
    }
  });
});
