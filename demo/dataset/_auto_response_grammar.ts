/** An auto response of the dataset as written: the rest is derived as Architus derives it. */
export interface AutoResponseSpec {
  readonly trigger: string;
  readonly response: string;
  readonly mode: "naive" | "punctuated" | "regex";
}

/** The characters around a punctuated trigger. */
export const PUNCTUATION = " \t\n.,!?;:'\"()[]*_~";

const TOKEN_KINDS = new Set(["author", "noun", "adj", "adv", "count", "member", "capture"]);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function escapeClass(text: string): string {
  return text.replace(/[\\\]\[^-]/g, "\\$&").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
}

/** The regular expression a trigger matches with, by its mode. */
export function triggerRegex(spec: AutoResponseSpec): string {
  switch (spec.mode) {
    case "regex":
      return spec.trigger;
    case "naive":
      return escapeRegex(spec.trigger);
    case "punctuated": {
      const around = `[${escapeClass(PUNCTUATION)}]`;
      return `(?:^|${around})${escapeRegex(spec.trigger)}(?:$|${around})`;
    }
  }
}

/** Splits a response into `[type, text]` tokens, as the Architus response grammar does. */
export function responseTokens(response: string): [string, string][] {
  const tokens: [string, string][] = [];
  const pattern = /\[([^\]]*)\]|https?:\/\/[^\s)]+/g;
  let last = 0;
  for (const match of response.matchAll(pattern)) {
    if (match.index > last) tokens.push(["text", response.slice(last, match.index)]);
    const inner = match[1];
    if (inner === undefined) {
      tokens.push(["url", match[0]]);
    } else {
      const kind = /^\d+$/.test(inner) ? "capture" : TOKEN_KINDS.has(inner) ? inner : "react";
      tokens.push(["open", "["], [kind, inner], ["close", "]"]);
    }
    last = match.index + match[0].length;
  }
  if (last < response.length) tokens.push(["text", response.slice(last)]);
  return tokens;
}
