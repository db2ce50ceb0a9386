import assert from "node:assert/strict";
import { formatCount } from "./format_count.ts";

Deno.test("formatCount writes whole numbers as toLocaleString('en-US') does", () => {
  for (
    const n of [0, 7, 42, 999, 1000, 1234, 99999, 100000, 1234567, -5, -1234, 9007199254740991]
  ) {
    assert.equal(formatCount(n), n.toLocaleString("en-US"), String(n));
  }
});
