// This module is browser-compatible.

/**
 * "Today at 4:05 PM", as Discord labels recent messages. Formatted by hand
 * rather than with `Intl` so the server and the browser agree to the
 * character on the static preview (`utc: true`), whatever their locales.
 */
export function formatClock(at: number, options: { utc?: boolean } = {}): string {
  const date = new Date(at);
  const hours = options.utc ? date.getUTCHours() : date.getHours();
  const minutes = options.utc ? date.getUTCMinutes() : date.getMinutes();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `Today at ${hour12}:${String(minutes).padStart(2, "0")} ${hours < 12 ? "AM" : "PM"}`;
}
