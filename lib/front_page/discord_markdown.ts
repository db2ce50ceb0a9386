// This module is browser-compatible.
import { type InlineNode, inlineParser } from "../markdown.ts";

/** The leaves of the demo's messages: code, mentions and shortcode emoji. */
type MarkdownLeaf =
  | { readonly type: "code"; readonly text: string }
  | { readonly type: "codeblock"; readonly text: string }
  | { readonly type: "mention"; readonly label: string; readonly self: boolean }
  | { readonly type: "emoji"; readonly name: string; readonly char: string };

/** The subset of Discord markdown the front page's demo renders. */
export type MarkdownNode = InlineNode<MarkdownLeaf, "strong" | "em" | "u" | "s">;

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

/** Parses a demo message: code, bold, italics, underline, strikethrough, mentions, shortcodes. */
export const parseInline: (text: string) => MarkdownNode[] = inlineParser<
  MarkdownLeaf,
  "strong" | "em" | "u" | "s"
>({
  maxDepth: 5,
  styles: ["strong", "u", "s", "em"],
  leaves: [
    {
      pattern: /```(?:[a-z0-9]*\n)?([\s\S]+?)```/g,
      build: (m) => ({ type: "codeblock", text: (m[1] ?? "").replace(/^\n|\n$/g, "") }),
    },
    { pattern: /`([^`]+)`/g, build: (m) => ({ type: "code", text: m[1] ?? "" }) },
    {
      // The bot writes `<@%_CLIENT_ID_%>` for whoever is viewing the demo.
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
  ],
});
