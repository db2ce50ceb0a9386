/**
 * The JavaScript budget: what each page's script weighs on the wire (its
 * entry and every chunk it imports), compressed as the server sends it.
 * The README states the budgets and the sizes measured.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildIslands, type IslandAssets } from "../build.ts";
import type { PageName } from "../boot/pages.ts";
import { pageScriptSizes } from "../tools/bundle_sizes.ts";

/** Bytes, after compression, per page: the budgets. */
const BUDGETS: Readonly<Record<PageName, number>> = {
  front_page: 60_000,
  dashboard: 100_000,
};

let outDir: string | undefined;

globalThis.addEventListener("unload", () => {
  if (outDir !== undefined) Deno.removeSync(outDir, { recursive: true });
});

async function built(): Promise<IslandAssets> {
  outDir = await Deno.makeTempDir({ prefix: "architus-budget-" });
  return await buildIslands({ outDir });
}

Deno.test("budget - each page's JavaScript stays within its budget, in brotli and in gzip", async () => {
  const sizes = await pageScriptSizes(await built());
  for (const [page, budget] of Object.entries(BUDGETS) as Array<[PageName, number]>) {
    const size = sizes[page];
    const line = `${page}: ${size.files.length} files, ${size.raw} B raw, ${size.br} B br, ` +
      `${size.gzip} B gzip; budget ${budget} B`;
    assert.ok(size.br <= budget && size.gzip <= budget, line);
  }
  // The front page does not carry the dashboard, nor the dashboard the demo.
  assert.ok(!sizes.front_page.files.some((file) => file.startsWith("dashboard-")));
  assert.ok(!sizes.dashboard.files.some((file) => file.startsWith("front_page-")));
});
