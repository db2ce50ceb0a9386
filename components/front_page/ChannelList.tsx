// This module is browser-compatible.
import type { VNode } from "preact";
import type { DemoChannel } from "../../lib/front_page/demos.ts";
import { pure } from "../pure.tsx";

export interface ChannelListProps {
  readonly channels: readonly DemoChannel[];
  readonly active: string;
  readonly onSelect: (id: string) => void;
  /** Puts a suggested line in the message box; absent in the static preview. */
  readonly onSuggest?: (line: string) => void;
}

/** The mock server's sidebar: one text channel per demo. */
export const ChannelList = pure(function ChannelList(
  { channels, active, onSelect, onSuggest }: ChannelListProps,
): VNode {
  const suggestions = channels.find((channel) => channel.id === active)?.suggestions ?? [];
  return (
    <nav class="channels" aria-label="Demo channels">
      <div class="server-name">
        <span>Architus Demo</span>
      </div>
      <div class="channel-category" aria-hidden="true">Text channels</div>
      <ul class="channel-items">
        {channels.map((channel) => (
          <li key={channel.id}>
            <button
              type="button"
              class={channel.id === active ? "channel channel-active" : "channel"}
              aria-current={channel.id === active ? "true" : undefined}
              data-channel={channel.id}
              onClick={() => onSelect(channel.id)}
            >
              <span class="channel-hash" aria-hidden="true">#</span>
              <span class="channel-name">{channel.name}</span>
            </button>
          </li>
        ))}
      </ul>
      {suggestions.length > 0 && (
        <div class="suggestions">
          <div class="channel-category">Try typing</div>
          {suggestions.map((line) => (
            <button
              type="button"
              key={line}
              class="suggestion"
              disabled={onSuggest === undefined}
              onClick={() => onSuggest?.(line)}
            >
              {line}
            </button>
          ))}
        </div>
      )}
    </nav>
  );
});
