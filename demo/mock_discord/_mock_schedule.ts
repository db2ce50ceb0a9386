import { CLIENT_MENTION, clip, emojiKey, MAX_CONTENT_CHARS, squash } from "./_mock_text.ts";

/** The RSVP reactions, in display order. */
export const RSVP: ReadonlyArray<{ readonly emoji: string; readonly label: string }> = [
  { emoji: "✅", label: "Attending" },
  { emoji: "❌", label: "Not attending" },
  { emoji: "🤷", label: "Maybe" },
];
const MAX_TITLE_CHARS = 200;
const MAX_TIME_CHARS = 100;

/** An event's fixed part; the RSVPs live in the message's reactions. */
export interface Schedule {
  readonly kind: "schedule";
  readonly title: string;
  /** The time as parsed ("Wednesday 8:00 PM"), as written when unparsable, or null. */
  readonly time: string | null;
}

const DAYS = new Map<string, string>([
  ["today", "Today"],
  ["tonight", "Tonight"],
  ["tomorrow", "Tomorrow"],
  ["monday", "Monday"],
  ["tuesday", "Tuesday"],
  ["wednesday", "Wednesday"],
  ["thursday", "Thursday"],
  ["friday", "Friday"],
  ["saturday", "Saturday"],
  ["sunday", "Sunday"],
]);
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** Words that only introduce a time ("party at 8pm"); dropped from the title with it. */
const CONNECTORS = new Set(["at", "on", "@", "next"]);

function clock(hour: number, minute: number, meridiem: string | undefined): string | null {
  if (minute > 59) return null;
  if (meridiem === undefined) {
    if (hour > 23) return null;
    return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  }
  if (hour < 1 || hour > 12) return null;
  const suffix = meridiem.toLowerCase().startsWith("a") ? "AM" : "PM";
  return `${hour}:${String(minute).padStart(2, "0")} ${suffix}`;
}

const MERIDIEM = /^(am|pm|a\.m\.|p\.m\.)$/i;

interface Found {
  readonly kind: "day" | "date" | "clock";
  readonly text: string;
  /** How many tokens it used. */
  readonly used: number;
}

/** Recognises a time expression starting at `tokens[at]`. */
function timeAt(tokens: readonly string[], at: number): Found | null {
  const token = (tokens[at] ?? "").replace(/[,.;!?]+$/, "");
  const lower = token.toLowerCase();
  const next = tokens[at + 1]?.replace(/[,;!?]+$/, "");
  const day = DAYS.get(lower);
  if (day !== undefined) return { kind: "day", text: day, used: 1 };
  if (lower === "noon") return { kind: "clock", text: "12:00 PM", used: 1 };
  if (lower === "midnight") return { kind: "clock", text: "12:00 AM", used: 1 };
  let m = /^(\d{1,2})(?::(\d{2}))?(am|pm|a\.m\.|p\.m\.)$/i.exec(
    (tokens[at] ?? "").replace(/[,;!?]+$/, ""),
  );
  if (m !== null) {
    const text = clock(Number(m[1]), Number(m[2] ?? 0), m[3]);
    return text === null ? null : { kind: "clock", text, used: 1 };
  }
  m = /^(\d{1,2})(?::(\d{2}))?$/.exec(token);
  if (m !== null && next !== undefined && MERIDIEM.test(next)) {
    const text = clock(Number(m[1]), Number(m[2] ?? 0), next);
    return text === null ? null : { kind: "clock", text, used: 2 };
  }
  m = /^(\d{1,2}):(\d{2})$/.exec(token);
  if (m !== null) {
    const text = clock(Number(m[1]), Number(m[2]), undefined);
    return text === null ? null : { kind: "clock", text, used: 1 };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(token) || /^\d{1,2}\/\d{1,2}(\/\d{2,4})?$/.test(token)) {
    return { kind: "date", text: token, used: 1 };
  }
  const month = MONTHS.find((name) =>
    lower === name.toLowerCase() || lower === name.toLowerCase().slice(0, 3)
  );
  // A month name counts only with a day after it: "may" alone is usually the verb.
  const dayOfMonth = next === undefined ? null : /^(\d{1,2})(st|nd|rd|th)?$/i.exec(next);
  if (month !== undefined && dayOfMonth !== null) {
    const n = Number(dayOfMonth[1]);
    if (n >= 1 && n <= 31) return { kind: "date", text: `${month} ${n}`, used: 2 };
  }
  return null;
}

/** Splits text into the words that describe a time and the rest. */
function extractTime(text: string): { rest: string[]; time: string | null } {
  const tokens = text === "" ? [] : text.split(" ");
  const rest: string[] = [];
  const parts: Record<Found["kind"], string[]> = { day: [], date: [], clock: [] };
  let pendingConnectors: string[] = [];
  for (let at = 0; at < tokens.length;) {
    const token = tokens[at] ?? "";
    const found = timeAt(tokens, at);
    if (found !== null) {
      // "next Wednesday" keeps its "next"; "at 8pm" loses its "at".
      if (found.kind === "day" && pendingConnectors.at(-1)?.toLowerCase() === "next") {
        parts.day.push(`Next ${found.text}`);
      } else {
        parts[found.kind].push(found.text);
      }
      pendingConnectors = [];
      at += found.used;
      continue;
    }
    rest.push(...pendingConnectors);
    pendingConnectors = [];
    if (CONNECTORS.has(token.toLowerCase())) pendingConnectors.push(token);
    else rest.push(token);
    at++;
  }
  rest.push(...pendingConnectors);
  const all = [...parts.day, ...parts.date, ...parts.clock];
  return { rest, time: all.length === 0 ? null : all.join(" ") };
}

/**
 * Parses `!schedule`'s argument: a title with a time somewhere in it
 * ("Overwatch scrims 8pm Wednesday"), or `title | time` where the time is
 * echoed as written when it cannot be parsed. Null when there is nothing.
 */
export function parseSchedule(argument: string): Schedule | null {
  const text = squash(argument);
  if (text === "") return null;
  const bar = text.indexOf("|");
  let title: string;
  let time: string | null;
  if (bar >= 0) {
    title = squash(text.slice(0, bar));
    const when = squash(text.slice(bar + 1));
    const parsed = extractTime(when);
    time = when === "" ? null : parsed.rest.length === 0 ? parsed.time : when;
  } else {
    const parsed = extractTime(text);
    title = parsed.rest.join(" ").replace(/^[\s,;:-]+|[\s,;:-]+$/g, "");
    time = parsed.time;
  }
  return {
    kind: "schedule",
    title: clip(title === "" ? "Untitled event" : title, MAX_TITLE_CHARS),
    time: time === null ? null : clip(time, MAX_TIME_CHARS),
  };
}

/** The RSVP a reaction stands for, or -1. */
export function rsvpOf(emoji: string): number {
  const key = emojiKey(emoji);
  return RSVP.findIndex((option) => emojiKey(option.emoji) === key);
}

/** The event message as it reads with the visitor's current reactions (keyed by `emojiKey`). */
export function renderSchedule(schedule: Schedule, reactions: ReadonlySet<string>): string {
  const lines = [`📅 **${schedule.title}**`, `🕒 **When:** ${schedule.time ?? "not set"}`];
  for (const { emoji, label } of RSVP) {
    const going = reactions.has(emojiKey(emoji));
    lines.push(`${emoji} **${label} (${going ? 1 : 0}):** ${going ? CLIENT_MENTION : "—"}`);
  }
  return clip(lines.join("\n"), MAX_CONTENT_CHARS);
}
