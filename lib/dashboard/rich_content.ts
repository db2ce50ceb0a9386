// This module is browser-compatible.
import { type InlineNode, inlineParser, type Style } from "../markdown.ts";

/** The leaves of an event's content: mentions, custom emoji, colours and links. */
type RichLeaf =
  | { readonly type: "user" | "role" | "channel"; readonly id: string }
  | {
    readonly type: "emoji";
    readonly id: string;
    readonly name: string;
    readonly animated: boolean;
  }
  | { readonly type: "color"; readonly hex: string }
  | { readonly type: "link"; readonly url: string };

/**
 * The rich content of a log event (the `content` of Architus's
 * `logs.event.Event`): bold, underline, strikethrough, spoilers and
 * italics, mentions (`<@user>`, `<@&role>`, `<#channel>`), custom emoji
 * (`<a:name:id>`), colours (`<##rrggbb>`) and links.
 */
export type RichNode = InlineNode<RichLeaf, Style>;

const parse = inlineParser<RichLeaf, Style>({
  maxDepth: 4,
  styles: ["strong", "u", "s", "spoiler", "em"],
  leaves: [
    { pattern: /<@!?(\d{1,20})>/g, build: (m) => ({ type: "user", id: m[1] as string }) },
    { pattern: /<@&(\d{1,20})>/g, build: (m) => ({ type: "role", id: m[1] as string }) },
    { pattern: /<#(\d{1,20})>/g, build: (m) => ({ type: "channel", id: m[1] as string }) },
    {
      pattern: /<(a?):(\w{0,32}):(\d{1,20})>/g,
      build: (m) => ({
        type: "emoji",
        animated: m[1] === "a",
        name: m[2] ?? "",
        id: m[3] as string,
      }),
    },
    {
      pattern: /<##([0-9a-fA-F]{6})>/g,
      build: (m) => ({ type: "color", hex: `#${(m[1] as string).toLowerCase()}` }),
    },
    {
      pattern: /\bhttps?:\/\/[^\s<>"]*[^\s<>".,:;'!?)\]]/g,
      build: (m) => ({ type: "link", url: m[0] }),
    },
  ],
});

const parsed = new Map<string, readonly RichNode[]>();
const PARSED_LIMIT = 4000;

/** Parses rich content; results are cached, since the same lines recur in a busy guild. */
export function parseRichContent(text: string): readonly RichNode[] {
  let nodes = parsed.get(text);
  if (nodes === undefined) {
    nodes = parse(text);
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
