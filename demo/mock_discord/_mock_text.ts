/** Text helpers shared by the demo's private modules. */

/** Discord's message length limit; every bot message is clipped to it. */
export const MAX_CONTENT_CHARS = 2000;

/** The front end renders this as a mention of whoever is viewing the demo. */
export const CLIENT_MENTION = "<@%_CLIENT_ID_%>";

/** The command prefix. */
export const PREFIX = "!";

/**
 * Cuts `text` to at most `max` UTF-16 units, ending in "…" when cut. Never
 * splits a surrogate pair, so an emoji at the edge is dropped, not mangled.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + "…";
}

/** Trims and turns every run of whitespace into one space. */
export function squash(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`: how a list of choices reads in a reply. */
export function quoteChoices(items: readonly string[]): string {
  const quoted = items.map((item) => `"${item}"`);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/**
 * Reduces an emoji to the form used for comparisons: clients disagree on
 * variation selectors (`1️⃣` vs `1⃣`), and a shrug with a skin tone or gender is
 * still a shrug.
 */
export function emojiKey(emoji: string): string {
  return emoji.replace(/[\uFE0E\uFE0F]|\p{Emoji_Modifier}|\u200D[\u2640\u2642]/gu, "");
}
