// This module is browser-compatible.
/**
 * Colours that come with the data, such as Discord role colours, made
 * readable on the theme's surfaces: a colour too dark for text is mixed
 * with white until it reaches WCAG AA contrast. Hue is kept as far as the
 * mix allows; colours that already read are returned unchanged.
 *
 * @module
 */

/**
 * The lightest background such a colour is drawn on: a chip's fill over a
 * private log row (theme.css keeps every other surface darker).
 */
export const LIGHTEST_SURFACE = "#3f4054";
/** WCAG AA for normal text is 4.5:1; a little over, for rounding in the browser. */
export const TEXT_CONTRAST = 4.6;

const HEX = /^#[0-9a-f]{6}$/i;

function channels(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** WCAG 2 relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function towardWhite(hex: string, amount: number): string {
  return "#" + channels(hex)
    .map((value) => Math.round(value + (255 - value) * amount).toString(16).padStart(2, "0"))
    .join("");
}

const cache = new Map<string, string>();

/**
 * `color` (`#rrggbb`), lightened just enough to read on `background`; any
 * other input comes back as given.
 */
export function readableColor(color: string, background: string = LIGHTEST_SURFACE): string {
  if (!HEX.test(color) || !HEX.test(background)) return color;
  const key = `${color}|${background}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let result = color.toLowerCase();
  if (contrastRatio(result, background) < TEXT_CONTRAST) {
    // The smallest mix with white that reads, to a hundredth.
    let low = 0;
    let high = 1;
    for (let step = 0; step < 7; step++) {
      const middle = (low + high) / 2;
      if (contrastRatio(towardWhite(color, middle), background) >= TEXT_CONTRAST) high = middle;
      else low = middle;
    }
    result = towardWhite(color, high);
  }
  cache.set(key, result);
  return result;
}
