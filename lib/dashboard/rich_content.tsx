// This module is browser-compatible.
import type { VNode } from "preact";

/**
 * The rich content of a log event (fact sheet §5.2): a markdown subset and
 * mention syntax, parsed into a tree and built as elements. Text only ever
 * becomes text nodes, so nothing in an event can become markup.
 */
export type RichNode =
  | { readonly type: "text"; readonly text: string }
  | {
    readonly type: "strong" | "em" | "u" | "s" | "spoiler";
    readonly children: readonly RichNode[];
  }
  | { readonly type: "user" | "role" | "channel"; readonly id: string }
  | {
    readonly type: "emoji";
    readonly id: string;
    readonly name: string;
    readonly animated: boolean;
  }
  | { readonly type: "color"; readonly hex: string }
  | { readonly type: "link"; readonly url: string };

/** A resolved mention: `undefined` while unknown, `null` when it does not exist. */
export interface NameLookup {
  member(id: string): { readonly name: string; readonly color?: string | null } | null | undefined;
  role(id: string): { readonly name: string; readonly color?: string | null } | null | undefined;
  channel(id: string): string | null | undefined;
}

/** Deeper nesting is shown as written; it keeps hostile content from recursing deeply. */
const MAX_DEPTH = 4;

type Build = (match: RegExpExecArray, depth: number) => RichNode | null;

const nested = (type: "strong" | "em" | "u" | "s" | "spoiler"): Build => (match, depth) =>
  depth >= MAX_DEPTH ? null : { type, children: parse(match[1] ?? "", depth + 1) };

/** In priority order: when two rules match at the same place, the first wins. */
const RULES: ReadonlyArray<{ readonly pattern: RegExp; readonly build: Build }> = [
  { pattern: /<@!?(\d{1,20})>/g, build: (m) => ({ type: "user", id: m[1] as string }) },
  { pattern: /<@&(\d{1,20})>/g, build: (m) => ({ type: "role", id: m[1] as string }) },
  { pattern: /<#(\d{1,20})>/g, build: (m) => ({ type: "channel", id: m[1] as string }) },
  {
    pattern: /<(a?):(\w{0,32}):(\d{1,20})>/g,
    build: (m) => ({ type: "emoji", animated: m[1] === "a", name: m[2] ?? "", id: m[3] as string }),
  },
  {
    pattern: /<##([0-9a-fA-F]{6})>/g,
    build: (m) => ({ type: "color", hex: `#${(m[1] as string).toLowerCase()}` }),
  },
  {
    pattern: /\bhttps?:\/\/[^\s<>"]*[^\s<>".,:;'!?)\]]/g,
    build: (m) => ({ type: "link", url: m[0] }),
  },
  { pattern: /\*\*(?=\S)([\s\S]+?)\*\*/g, build: nested("strong") },
  { pattern: /__(?=\S)([\s\S]+?)__(?!_)/g, build: nested("u") },
  { pattern: /~~(?=\S)([\s\S]+?)~~/g, build: nested("s") },
  { pattern: /\|\|(?=\S)([\s\S]+?)\|\|/g, build: nested("spoiler") },
  { pattern: /\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/g, build: nested("em") },
  // Underscores inside words (snake_case) are not emphasis, as on Discord.
  { pattern: /(?<![\p{L}\p{N}_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])/gu, build: nested("em") },
];

function parse(text: string, depth: number): RichNode[] {
  const out: RichNode[] = [];
  // The next match of each rule at or after `pos`, found once and reused while still ahead.
  const next: Array<RegExpExecArray | null | undefined> = new Array(RULES.length);
  let pos = 0;
  let plain = "";
  while (pos < text.length) {
    let best = -1;
    let bestMatch: RegExpExecArray | null = null;
    for (let r = 0; r < RULES.length; r++) {
      let match = next[r];
      if (match === undefined || (match !== null && match.index < pos)) {
        const pattern = (RULES[r] as (typeof RULES)[number]).pattern;
        pattern.lastIndex = pos;
        match = pattern.exec(text);
        next[r] = match;
      }
      if (match !== null && (bestMatch === null || match.index < bestMatch.index)) {
        best = r;
        bestMatch = match;
      }
    }
    if (bestMatch === null) break;
    const node = (RULES[best] as (typeof RULES)[number]).build(bestMatch, depth);
    if (node === null) {
      // Too deep: keep the opening character as text and look again after it.
      plain += text.slice(pos, bestMatch.index + 1);
      pos = bestMatch.index + 1;
      continue;
    }
    plain += text.slice(pos, bestMatch.index);
    if (plain !== "") out.push({ type: "text", text: plain });
    plain = "";
    out.push(node);
    pos = bestMatch.index + bestMatch[0].length;
  }
  plain += text.slice(pos);
  if (plain !== "") out.push({ type: "text", text: plain });
  return out;
}

const parsed = new Map<string, readonly RichNode[]>();
const PARSED_LIMIT = 4000;

/** Parses rich content; results are cached, since the same lines recur in a busy guild. */
export function parseRichContent(text: string): readonly RichNode[] {
  let nodes = parsed.get(text);
  if (nodes === undefined) {
    nodes = parse(text, 0);
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(text, nodes);
  }
  return nodes;
}

/** The user ids mentioned in content, for resolving their names ahead of display. */
export function mentionedUsers(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(/<@!?(\d{1,20})>/g)) ids.push(match[1] as string);
  return ids;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A colour safe to put in a style property, or undefined. */
export function safeColor(color: string | null | undefined): string | undefined {
  return color && HEX_COLOR.test(color) && color !== "#000000" ? color : undefined;
}

function Chip(
  { kind, id, label, pending, color }: {
    kind: "user" | "role" | "channel";
    id: string;
    label: string;
    pending: boolean;
    color?: string | undefined;
  },
): VNode {
  return (
    <span
      class={`chip chip-${kind}${pending ? " chip-pending" : ""}`}
      data-mention={kind}
      data-id={id}
      title={id}
      style={color === undefined ? undefined : { color }}
    >
      {label}
    </span>
  );
}

function renderNode(node: RichNode, names: NameLookup, key: number): VNode | string {
  switch (node.type) {
    case "text":
      return node.text;
    case "strong":
      return <strong key={key}>{renderNodes(node.children, names)}</strong>;
    case "em":
      return <em key={key}>{renderNodes(node.children, names)}</em>;
    case "u":
      return <u key={key}>{renderNodes(node.children, names)}</u>;
    case "s":
      return <s key={key}>{renderNodes(node.children, names)}</s>;
    case "spoiler":
      return <span key={key} class="spoiler">{renderNodes(node.children, names)}</span>;
    case "user": {
      const member = names.member(node.id);
      return (
        <Chip
          key={key}
          kind="user"
          id={node.id}
          label={`@${member?.name ?? node.id}`}
          pending={!member}
        />
      );
    }
    case "role": {
      const role = names.role(node.id);
      return (
        <Chip
          key={key}
          kind="role"
          id={node.id}
          label={`@${role?.name ?? node.id}`}
          pending={!role}
          color={safeColor(role?.color)}
        />
      );
    }
    case "channel": {
      const channel = names.channel(node.id);
      return (
        <Chip
          key={key}
          kind="channel"
          id={node.id}
          label={`#${channel ?? node.id}`}
          pending={!channel}
        />
      );
    }
    case "emoji":
      return (
        <span key={key} class="chip chip-emoji" title={`${node.name || "emoji"} (${node.id})`}>
          :{node.name || "emoji"}:
        </span>
      );
    case "color":
      return (
        <span key={key} class="chip chip-color">
          <i class="swatch" style={{ background: node.hex }} aria-hidden="true" />
          {node.hex}
        </span>
      );
    case "link":
      return (
        <a key={key} href={node.url} rel="noopener noreferrer nofollow ugc" target="_blank">
          {node.url}
        </a>
      );
  }
}

function renderNodes(nodes: readonly RichNode[], names: NameLookup): Array<VNode | string> {
  return nodes.map((node, index) => renderNode(node, names, index));
}

/** Renders an event's content with mentions as chips named through `names`. */
export function RichContent({ text, names }: { text: string; names: NameLookup }): VNode {
  return <>{renderNodes(parseRichContent(text), names)}</>;
}
