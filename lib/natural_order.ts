// This module is browser-compatible.

/**
 * Names in the order people expect: case and accents aside, runs of digits
 * by value (`room 2` before `room 10`), ties broken by the names as
 * written. Done by hand rather than with `Intl.Collator`: the first collator
 * a page creates loads the engine's collation data (20–40 ms in Chromium on
 * this machine), in the middle of opening the dashboard.
 */
export function compareNatural(a: string, b: string): number {
  if (a === b) return 0;
  const x = foldedOf(a);
  const y = foldedOf(b);
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    if (isDigit(cx) && isDigit(cy)) {
      const endX = digitsEnd(x, i);
      const endY = digitsEnd(y, j);
      const order = compareNumbers(x.slice(i, endX), y.slice(j, endY));
      if (order !== 0) return order;
      i = endX;
      j = endY;
      continue;
    }
    if (cx !== cy) return cx < cy ? -1 : 1;
    i++;
    j++;
  }
  const rest = (x.length - i) - (y.length - j);
  if (rest !== 0) return rest < 0 ? -1 : 1;
  return a < b ? -1 : 1;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
/** Folded forms of the names seen, bounded. */
const folded = new Map<string, string>();
const FOLDED_MAX = 50_000;

function foldedOf(name: string): string {
  let key = folded.get(name);
  if (key === undefined) {
    key = name.normalize("NFD").replace(COMBINING_MARKS, "").toLowerCase();
    if (folded.size >= FOLDED_MAX) folded.clear();
    folded.set(name, key);
  }
  return key;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function digitsEnd(s: string, from: number): number {
  let end = from;
  while (end < s.length && isDigit(s.charCodeAt(end))) end++;
  return end;
}

/** Two runs of digits by value, however long. */
function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
