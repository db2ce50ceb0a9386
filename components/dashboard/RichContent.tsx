// This module is browser-compatible.
import type { ComponentChildren, VNode } from "preact";
import { useState } from "preact/hooks";
import { readableColor } from "../../lib/contrast.ts";
import { type NameLookup, safeColor } from "../../lib/dashboard/name_directory.ts";
import { parseRichContent, type RichNode } from "../../lib/dashboard/rich_content.ts";

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
      style={color === undefined ? undefined : { color: readableColor(color) }}
    >
      {label}
    </span>
  );
}

/** Hidden text, shown while pointed at or focused, or for good once pressed. */
function Spoiler({ children }: { children: ComponentChildren }): VNode {
  const [shown, setShown] = useState(false);
  return (
    <button
      type="button"
      class={shown ? "spoiler spoiler-shown" : "spoiler"}
      aria-pressed={shown}
      title={shown ? "Spoiler" : "Spoiler: press to show"}
      onClick={() => setShown(!shown)}
    >
      {children}
    </button>
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
      return <Spoiler key={key}>{renderNodes(node.children, names)}</Spoiler>;
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
