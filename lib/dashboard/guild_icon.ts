// This module is browser-compatible.

/** How many icon colours the stylesheet defines (`.tint-0` … `.tint-7`). */
const TINTS = 8;

/** Up to two initials of a name, as Discord shows a server without an icon. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word.length > 0);
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? "");
  const initials = letters.join("").toUpperCase();
  return initials === "" ? "?" : initials;
}

/** A stable colour class for an id: the same guild always gets the same tint. */
export function tintOf(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return `tint-${Math.abs(hash) % TINTS}`;
}
