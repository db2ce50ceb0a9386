import assert from "node:assert/strict";
import { contrastRatio, LIGHTEST_SURFACE, readableColor, TEXT_CONTRAST } from "./contrast.ts";

Deno.test("contrastRatio() - the WCAG 2 ratios of known pairs", () => {
  assert.equal(contrastRatio("#000000", "#ffffff"), 21);
  assert.equal(contrastRatio("#777777", "#777777"), 1);
  assert.ok(Math.abs(contrastRatio("#949ba4", "#313338") - 4.5) < 0.01);
});

Deno.test("readableColor() - lightens Discord role colours until they read, keeps the rest", () => {
  for (const role of ["#9b59b6", "#3498db", "#206694", "#992d22", "#11806a", "#5865f2"]) {
    const readable = readableColor(role);
    assert.ok(contrastRatio(readable, LIGHTEST_SURFACE) >= TEXT_CONTRAST, `${role} → ${readable}`);
    // Only as light as it needs to be.
    assert.ok(
      contrastRatio(readable, LIGHTEST_SURFACE) < TEXT_CONTRAST + 0.3,
      `${role} → ${readable}`,
    );
  }
  assert.equal(readableColor("#F1C40F"), "#f1c40f");
  assert.equal(readableColor("#ffffff"), "#ffffff");
  assert.equal(readableColor("red"), "red");
});
