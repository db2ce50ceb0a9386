/** `YYYY-MM-DDTHH:MM:SS[.fraction]`, as Python's `datetime.isoformat()` writes a naive time. */
const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

const HOUR_MS = 3_600_000;

/** One formatter per zone: building one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Whether `timeZone` names a zone of the platform's time zone data (IANA
 * names such as `Europe/Berlin`, and `UTC`).
 */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `t` (ms), from the platform's zone data. */
function offsetAt(timeZone: string, t: number): number {
  const second = Math.floor(t / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(second)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return wall - second;
}

/**
 * The instant (ms since the epoch) at which the wall clock of `timeZone`
 * read `local`, a time written without a zone (`2026-03-29T09:15:02.123456`).
 * Null when `local` is not such a time or the zone is unknown.
 *
 * Offsets, daylight saving included, come from the platform's zone data
 * (`Intl.DateTimeFormat`). A wall time that occurs twice (the hour repeated
 * when clocks go back) is read as its first occurrence, and one that never
 * occurs (skipped when clocks go forward) with the offset in force before
 * the change: both are what Python does with a naive time (`fold=0`).
 */
export function zonedTimeToEpoch(local: string, timeZone: string): number | null {
  const m = LOCAL_ISO.exec(local);
  if (m === null || !isTimeZone(timeZone)) return null;
  const [, y, mo, d, h, mi, s, fraction = ""] = m;
  const ms = Number((fraction + "000").slice(0, 3));
  const asUtc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    ms,
  );
  const check = new Date(asUtc);
  if (
    check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) || check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(s)
  ) {
    return null; // 2026-13-45 or 25:00: Date.UTC would quietly roll it over
  }
  // The offsets around this wall time: a change of offset lies between them, if any.
  const before = offsetAt(timeZone, asUtc - 24 * HOUR_MS);
  const after = offsetAt(timeZone, asUtc + 24 * HOUR_MS);
  const candidates = [asUtc - before, asUtc - after]
    .filter((t) => t + offsetAt(timeZone, t) === asUtc)
    .sort((a, b) => a - b);
  return candidates[0] ?? asUtc - before;
}
