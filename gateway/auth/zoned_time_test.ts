import assert from "node:assert/strict";
import { isTimeZone, zonedTimeToEpoch } from "./zoned_time.ts";

Deno.test("zonedTimeToEpoch reads a wall time in its zone's standard and summer time", () => {
  assert.equal(zonedTimeToEpoch("2026-01-15T13:00:00", "Europe/Berlin"), Date.UTC(2026, 0, 15, 12));
  assert.equal(zonedTimeToEpoch("2026-07-15T13:00:00", "Europe/Berlin"), Date.UTC(2026, 6, 15, 11));
  assert.equal(
    zonedTimeToEpoch("2026-07-15T08:00:00", "America/New_York"),
    Date.UTC(2026, 6, 15, 12),
  );
  assert.equal(zonedTimeToEpoch("2026-01-15T17:30:00", "Asia/Kolkata"), Date.UTC(2026, 0, 15, 12));
  assert.equal(zonedTimeToEpoch("2026-01-15T12:00:00", "UTC"), Date.UTC(2026, 0, 15, 12));
});

Deno.test("zonedTimeToEpoch keeps milliseconds of Python's microsecond fraction", () => {
  assert.equal(
    zonedTimeToEpoch("2026-01-15T13:00:00.123456", "Europe/Berlin"),
    Date.UTC(2026, 0, 15, 12, 0, 0, 123),
  );
  assert.equal(
    zonedTimeToEpoch("2026-01-15T13:00:00.5", "Europe/Berlin"),
    Date.UTC(2026, 0, 15, 12, 0, 0, 500),
  );
});

Deno.test("zonedTimeToEpoch reads a repeated hour as its first occurrence and a skipped one with the old offset", () => {
  // Clocks go back at 03:00 CEST on 2026-10-25: 02:30 happens at 00:30 and at 01:30 UTC.
  assert.equal(
    zonedTimeToEpoch("2026-10-25T02:30:00", "Europe/Berlin"),
    Date.UTC(2026, 9, 25, 0, 30),
  );
  assert.equal(
    zonedTimeToEpoch("2026-10-25T03:30:00", "Europe/Berlin"),
    Date.UTC(2026, 9, 25, 2, 30),
  );
  // Clocks go forward at 02:00 CET on 2026-03-29: 02:30 never happens; read with CET (+1).
  assert.equal(
    zonedTimeToEpoch("2026-03-29T02:30:00", "Europe/Berlin"),
    Date.UTC(2026, 2, 29, 1, 30),
  );
  assert.equal(
    zonedTimeToEpoch("2026-03-29T03:30:00", "Europe/Berlin"),
    Date.UTC(2026, 2, 29, 1, 30),
  );
  // New York's change happens at a different hour and date.
  assert.equal(
    zonedTimeToEpoch("2026-11-01T01:30:00", "America/New_York"),
    Date.UTC(2026, 10, 1, 5, 30),
  );
});

Deno.test("zonedTimeToEpoch refuses times with a zone, malformed times and unknown zones", () => {
  assert.equal(zonedTimeToEpoch("2026-01-15T13:00:00Z", "Europe/Berlin"), null);
  assert.equal(zonedTimeToEpoch("2026-01-15 13:00:00", "Europe/Berlin"), null);
  assert.equal(zonedTimeToEpoch("2026-13-45T13:00:00", "Europe/Berlin"), null);
  assert.equal(zonedTimeToEpoch("2026-01-15T13:00:00", "Mars/Olympus_Mons"), null);
  assert.equal(isTimeZone("Europe/Berlin"), true);
  assert.equal(isTimeZone("CEST+2"), false);
});
