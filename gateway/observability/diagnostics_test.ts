import assert from "node:assert/strict";
import { Diagnostics } from "./diagnostics.ts";

Deno.test("Diagnostics writes JSON lines with level, fields and redacted secrets", () => {
  const lines: string[] = [];
  const log = new Diagnostics({ level: "info", sink: (l) => lines.push(l) }).with({ sid: "abc" });
  log.debug("hidden");
  log.info("elevated", { user: "1", token: "eyJ.secret", cookie: "dev-token=x" });
  assert.equal(lines.length, 1, "below the level is dropped");
  const record = JSON.parse(lines[0]!);
  assert.equal(record.level, "info");
  assert.equal(record.msg, "elevated");
  assert.equal(record.sid, "abc");
  assert.equal(record.user, "1");
  assert.equal(record.token, "[redacted]");
  assert.equal(record.cookie, "[redacted]");
  log.error("failed", { error: new TypeError("boom") });
  assert.deepEqual(JSON.parse(lines[1]!).error, { name: "TypeError", message: "boom" });
});
