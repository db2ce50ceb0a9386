// This module is browser-compatible.
import type { VNode } from "preact";
import { type MarkdownNode, parseInline } from "../../lib/front_page/discord_markdown.ts";

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

/** Renders a demo message as elements (never as HTML). */
export function Markdown({ text }: { text: string }): VNode {
  return <>{renderNodes(parseInline(text))}</>;
}
