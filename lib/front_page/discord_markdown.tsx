// This module is browser-compatible.
import type { VNode } from "preact";

/**
 * The subset of Discord markdown the demo renders, parsed into a tree and
 * turned into elements: text is only ever a text node, so nothing a visitor
 * or the bot writes can become markup.
 */
export type MarkdownNode =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "code"; readonly text: string }
  | { readonly type: "codeblock"; readonly text: string }
  | {
    readonly type: "strong" | "em" | "u" | "s";
    readonly children: readonly MarkdownNode[];
  }
  | { readonly type: "mention"; readonly label: string; readonly self: boolean }
  | { readonly type: "emoji"; readonly name: string; readonly char: string };

/** The mention the bot writes for "whoever is viewing the demo". */
export const CLIENT_MENTION = "<@%_CLIENT_ID_%>";

/** The few shortcodes the demo scripts and a curious visitor are likely to use. */
const SHORTCODES: Readonly<Record<string, string>> = {
  wave: "👋",
  smile: "😄",
  grin: "😁",
  joy: "😂",
  heart: "❤️",
  thumbsup: "👍",
  thumbsdown: "👎",
  tada: "🎉",
  fire: "🔥",
  eyes: "👀",
  thinking: "🤔",
  white_check_mark: "✅",
  x: "❌",
  shrug: "🤷",
  robot: "🤖",
  pizza: "🍕",
  taco: "🌮",
  hotdog: "🌭",
  sparkles: "✨",
  rocket: "🚀",
};

/** Nesting beyond this is shown as written; it keeps hostile input from recursing deeply. */
const MAX_DEPTH = 5;

type Rule = {
  readonly pattern: RegExp;
  readonly build: (match: RegExpExecArray, depth: number) => MarkdownNode | null;
};

const nested = (type: "strong" | "em" | "u" | "s") => (match: RegExpExecArray, depth: number) =>
  depth >= MAX_DEPTH ? null : { type, children: parseInline(match[1] ?? "", depth + 1) };

/** In priority order: when two rules match at the same place, the first wins. */
const RULES: readonly Rule[] = [
  {
    pattern: /```(?:[a-z0-9]*\n)?([\s\S]+?)```/g,
    build: (m) => ({ type: "codeblock", text: (m[1] ?? "").replace(/^\n|\n$/g, "") }),
  },
  { pattern: /`([^`]+)`/g, build: (m) => ({ type: "code", text: m[1] ?? "" }) },
  { pattern: /\*\*(?=\S)([\s\S]+?)\*\*/g, build: nested("strong") },
  { pattern: /__(?=\S)([\s\S]+?)__(?!_)/g, build: nested("u") },
  { pattern: /~~(?=\S)([\s\S]+?)~~/g, build: nested("s") },
  { pattern: /\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/g, build: nested("em") },
  // Underscores inside words (snake_case) are not emphasis, as on Discord.
  { pattern: /(?<![\p{L}\p{N}_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])/gu, build: nested("em") },
  {
    pattern: /<@!?(\d{1,20}|%_CLIENT_ID_%)>/g,
    build: (m) =>
      m[1] === "%_CLIENT_ID_%"
        ? { type: "mention", label: "@you", self: true }
        : { type: "mention", label: "@user", self: false },
  },
  {
    pattern: /(?<![\p{L}\p{N}_])@(everyone|here)(?![\p{L}\p{N}_])/gu,
    build: (m) => ({ type: "mention", label: `@${m[1]}`, self: true }),
  },
  {
    pattern: /:([a-z0-9_+-]{1,32}):/g,
    build: (m) => {
      const char = Object.hasOwn(SHORTCODES, m[1] ?? "") ? SHORTCODES[m[1] ?? ""] : undefined;
      return char === undefined ? null : { type: "emoji", name: m[1] ?? "", char };
    },
  },
];

/**
 * Parses inline markdown. Each rule remembers its next match, so a long
 * message costs a pass per rule rather than a pass per token per rule.
 */
export function parseInline(text: string, depth = 0): MarkdownNode[] {
  const out: MarkdownNode[] = [];
  const patterns = RULES.map((rule) => new RegExp(rule.pattern.source, rule.pattern.flags));
  const next: (RegExpExecArray | null | undefined)[] = RULES.map(() => undefined);
  let plain = "";
  let pos = 0;
  while (pos < text.length) {
    let best = -1;
    for (let i = 0; i < RULES.length; i++) {
      let match = next[i];
      if (match === undefined || (match !== null && match.index < pos)) {
        const pattern = patterns[i] as RegExp;
        pattern.lastIndex = pos;
        match = next[i] = pattern.exec(text);
      }
      if (match === null) continue;
      const current = best < 0 ? undefined : next[best];
      if (current == null || match.index < current.index) best = i;
    }
    const match = best < 0 ? null : next[best] ?? null;
    if (match === null) break;
    const node = (RULES[best] as Rule).build(match, depth);
    if (node === null) {
      // Not markup after all (an unknown shortcode, too deep): keep its first character as text.
      plain += text.slice(pos, match.index + 1);
      pos = match.index + 1;
      continue;
    }
    plain += text.slice(pos, match.index);
    if (plain !== "") out.push({ type: "text", text: plain });
    plain = "";
    out.push(node);
    pos = match.index + match[0].length;
  }
  plain += text.slice(pos);
  if (plain !== "") out.push({ type: "text", text: plain });
  return out;
}

function renderNodes(nodes: readonly MarkdownNode[]): Array<VNode | string> {
  return nodes.map((node, key) => {
    switch (node.type) {
      case "text":
        return node.text;
      case "code":
        return <code key={key} class="md-code">{node.text}</code>;
      case "codeblock":
        return <pre key={key} class="md-codeblock"><code>{node.text}</code></pre>;
      case "strong":
        return <strong key={key}>{renderNodes(node.children)}</strong>;
      case "em":
        return <em key={key}>{renderNodes(node.children)}</em>;
      case "u":
        return <u key={key}>{renderNodes(node.children)}</u>;
      case "s":
        return <s key={key}>{renderNodes(node.children)}</s>;
      case "mention":
        return (
          <span key={key} class={node.self ? "mention mention-self" : "mention"}>
            {node.label}
          </span>
        );
      case "emoji":
        return <span key={key} class="md-emoji" title={`:${node.name}:`}>{node.char}</span>;
    }
  });
}

/** Renders message content as elements (never as HTML). */
export function Markdown({ text }: { text: string }): VNode {
  return <>{renderNodes(parseInline(text))}</>;
}
