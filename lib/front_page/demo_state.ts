// This module is browser-compatible.
import type { MockBotAction } from "../../client/mod.ts";
import { DEMO_CHANNELS } from "./demos.ts";
import {
  addHint,
  addVisitorMessage,
  applyBotActions,
  type DeliveryStatus,
  type Message,
  setDelivery,
  setOwnReaction,
} from "./transcript.ts";

/** One demo channel's live state. */
export interface ChannelState {
  /** The mock guild: the bot keeps this channel's auto responses and polls under it. */
  readonly guildId: number;
  readonly messages: readonly Message[];
  /** What the input box shows. */
  readonly draft: string;
  /** The auto-typer plays here; false once the visitor takes over. */
  readonly auto: boolean;
  /** Visible messages still waiting for the bot: shows "architus is typing…". */
  readonly awaiting: number;
}

export interface DemoState {
  readonly active: string;
  readonly channels: Readonly<Record<string, ChannelState>>;
}

export type DemoAction =
  | { readonly type: "select"; readonly channel: string }
  /** The visitor typed. */
  | { readonly type: "draft"; readonly channel: string; readonly text: string }
  /** The auto-typer typed; ignored once the visitor has taken over. */
  | { readonly type: "autotype"; readonly channel: string; readonly text: string }
  /** The visitor focused or typed into the input: the auto-typer stops here. */
  | { readonly type: "takeover"; readonly channel: string }
  | { readonly type: "resume"; readonly channel: string }
  | {
    readonly type: "visitor";
    readonly channel: string;
    readonly id: number;
    readonly content: string;
    readonly at: number;
  }
  | {
    readonly type: "delivery";
    readonly channel: string;
    readonly id: number;
    readonly status: DeliveryStatus;
    readonly error?: string;
  }
  | {
    readonly type: "bot";
    readonly channel: string;
    readonly actions: readonly MockBotAction[];
    readonly at: number;
  }
  | {
    readonly type: "reaction";
    readonly channel: string;
    readonly id: number;
    readonly emoji: string;
    readonly mine: boolean;
  }
  /** A hint to the visitor alone: where a command typed here works. */
  | {
    readonly type: "hint";
    readonly channel: string;
    readonly id: number;
    readonly content: string;
    readonly at: number;
  }
  | { readonly type: "awaiting"; readonly channel: string; readonly delta: number }
  | { readonly type: "clear"; readonly channel: string };

/** Mock guild ids must stay below this (the bot's limit). */
export const GUILD_ID_LIMIT = 10_000_000;

/** Every channel empty and on auto, the first one selected, each with its own mock guild. */
export function initialDemoState(random: () => number = Math.random): DemoState {
  const channels: Record<string, ChannelState> = {};
  for (const channel of DEMO_CHANNELS) {
    channels[channel.id] = {
      guildId: Math.floor(random() * GUILD_ID_LIMIT) % GUILD_ID_LIMIT,
      messages: [],
      draft: "",
      auto: true,
      awaiting: 0,
    };
  }
  return { active: DEMO_CHANNELS[0]?.id ?? "", channels };
}

function update(
  state: DemoState,
  id: string,
  change: (channel: ChannelState) => ChannelState,
): DemoState {
  const channel = state.channels[id];
  if (channel === undefined) return state;
  const next = change(channel);
  return next === channel ? state : { ...state, channels: { ...state.channels, [id]: next } };
}

export function demoReducer(state: DemoState, action: DemoAction): DemoState {
  switch (action.type) {
    case "select": {
      if (state.channels[action.channel] === undefined || action.channel === state.active) {
        return state;
      }
      // A line the auto-typer was half-way through is dropped with the channel it was in.
      const left = update(state, state.active, (c) => c.auto ? { ...c, draft: "" } : c);
      return { ...left, active: action.channel };
    }
    case "draft":
      return update(state, action.channel, (c) => ({ ...c, draft: action.text }));
    case "autotype":
      return update(state, action.channel, (c) => c.auto ? { ...c, draft: action.text } : c);
    case "takeover":
      return update(state, action.channel, (c) => c.auto ? { ...c, auto: false, draft: "" } : c);
    case "resume":
      return update(state, action.channel, (c) => c.auto ? c : { ...c, auto: true, draft: "" });
    case "visitor":
      return update(state, action.channel, (c) => ({
        ...c,
        messages: addVisitorMessage(c.messages, action),
      }));
    case "hint":
      return update(state, action.channel, (c) => ({
        ...c,
        messages: addHint(c.messages, action),
      }));
    case "delivery":
      return update(state, action.channel, (c) => ({
        ...c,
        messages: setDelivery(c.messages, action.id, action.status, action.error),
      }));
    case "bot":
      return update(state, action.channel, (c) => ({
        ...c,
        messages: applyBotActions(c.messages, action.actions, action.at),
      }));
    case "reaction":
      return update(state, action.channel, (c) => ({
        ...c,
        messages: setOwnReaction(c.messages, action.id, action.emoji, action.mine),
      }));
    case "awaiting":
      return update(state, action.channel, (c) => ({
        ...c,
        awaiting: Math.max(0, c.awaiting + action.delta),
      }));
    case "clear":
      return update(state, action.channel, (c) =>
        c.messages.length === 0 ? c : {
          ...c,
          messages: [],
        });
  }
}
