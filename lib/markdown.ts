// This module is browser-compatible.
/**
 * The web app's one parser of Discord-style inline markdown. Two dialects
 * use it: the front page's demo messages (`front_page/discord_markdown.ts`)
 * and the dashboard's log event content (`dashboard/rich_content.ts`). Each
 * names its own leaves (code, mentions, emoji…) and which text styles it
 * knows; the loop, the style rules and the depth limit are this module's.
 * The output is a tree whose text is only ever text, for renderers that
 * build elements (never HTML), so nothing a visitor, the bot or an event
 * writes can become markup.
 *
 * Hand-written rather than a package, for bundle size: one boot script
 * serves both pages, the front page has a JavaScript budget of 60 KB
 * compressed for the whole page, and the script already weighs about
 * 62 KB gzipped. Measured with the build's esbuild settings (minified,
 * gzip -9), a package would add: `discord-markdown-parser` 1.3.1, 10.3 KB
 * (it brings `@khanacademy/simple-markdown` and rules for headings, lists,
 * quotes, timestamps…); `@khanacademy/simple-markdown` 2.2.3 alone, 5.8 KB
 * for the inline style rules only, the Discord rules (mentions, custom
 * emoji, colours, spoilers, shortcodes) still to be written by hand;
 * `discord-markdown` 2.5.1, 321 KB (it bundles highlight.js). This module
 * with both dialects is 1.4 KB. It also stays linear on hostile input:
 * each rule remembers its next match, so a message costs a pass per rule,
 * not a pass per token per rule.
 *
 * @module
 */

/** The text styles, in priority order: when two match at the same place, the first wins. */
export type Style = "strong" | "u" | "s" | "spoiler" | "em";

const STYLE_ORDER: readonly Style[] = ["strong", "u", "s", "spoiler", "em"];

/**
 * `**bold**`, `__underline__`, `~~strike~~`, `||spoiler||`, `*em*` and
 * `_em_`. Underscores inside words (snake_case) are not emphasis, as on
 * Discord.
 */
const STYLE_PATTERNS: Readonly<Record<Style, readonly RegExp[]>> = {
  strong: [/\*\*(?=\S)([\s\S]+?)\*\*/g],
  u: [/__(?=\S)([\s\S]+?)__(?!_)/g],
  s: [/~~(?=\S)([\s\S]+?)~~/g],
  spoiler: [/\|\|(?=\S)([\s\S]+?)\|\|/g],
  em: [
    /\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/g,
    /(?<![\p{L}\p{N}_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])/gu,
  ],
};

/** A parsed tree: text, styled runs of the styles `S`, and a dialect's own leaves `L`. */
export type InlineNode<L, S extends Style> =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: S; readonly children: readonly InlineNode<L, S>[] }
  | L;

/** A dialect's leaf: a global pattern and the node for one of its matches. */
interface LeafRule<L> {
  readonly pattern: RegExp;
  /** The node, or null when the match is not markup after all: its first character stays text. */
  readonly build: (match: RegExpExecArray) => L | null;
}

interface Dialect<L, S extends Style> {
  /** Tried before the styles, in order, when several match at the same place. */
  readonly leaves: readonly LeafRule<L>[];
  /** The styles the dialect knows. */
  readonly styles: readonly S[];
  /** Styles nested deeper than this are shown as written; it keeps hostile input from recursing deeply. */
  readonly maxDepth: number;
}

interface Rule<N> {
  readonly pattern: RegExp;
  readonly build: (match: RegExpExecArray, depth: number) => N | null;
}

/** Makes the parser of a dialect. */
export function inlineParser<L, S extends Style>(
  dialect: Dialect<L, S>,
): (text: string) => InlineNode<L, S>[] {
  type Node = InlineNode<L, S>;
  const rules: Rule<Node>[] = dialect.leaves.map((leaf) => ({
    pattern: leaf.pattern,
    build: (match) => leaf.build(match),
  }));
  for (const style of STYLE_ORDER) {
    if (!(dialect.styles as readonly Style[]).includes(style)) continue;
    for (const pattern of STYLE_PATTERNS[style]) {
      rules.push({
        pattern,
        build: (match, depth) =>
          depth >= dialect.maxDepth
            ? null
            : { type: style as S, children: parse(match[1] ?? "", depth + 1) },
      });
    }
  }

  function parse(text: string, depth: number): Node[] {
    const out: Node[] = [];
    // The next match of each rule at or after `pos`, found once and reused while still ahead.
    const next: Array<RegExpExecArray | null | undefined> = new Array(rules.length);
    let plain = "";
    let pos = 0;
    while (pos < text.length) {
      let best = -1;
      let found: RegExpExecArray | null = null;
      for (let i = 0; i < rules.length; i++) {
        let match = next[i];
        if (match === undefined || (match !== null && match.index < pos)) {
          const pattern = (rules[i] as Rule<Node>).pattern;
          pattern.lastIndex = pos;
          match = next[i] = pattern.exec(text);
        }
        if (match !== null && (found === null || match.index < found.index)) {
          best = i;
          found = match;
        }
      }
      if (found === null) break;
      const node = (rules[best] as Rule<Node>).build(found, depth);
      if (node === null) {
        // Not markup after all (an unknown shortcode, too deep): keep its first character as text.
        plain += text.slice(pos, found.index + 1);
        pos = found.index + 1;
        continue;
      }
      plain += text.slice(pos, found.index);
      if (plain !== "") out.push({ type: "text", text: plain });
      plain = "";
      out.push(node);
      pos = found.index + found[0].length;
    }
    plain += text.slice(pos);
    if (plain !== "") out.push({ type: "text", text: plain });
    return out;
  }

  return (text) => parse(text, 0);
}
