// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useReducer, useRef } from "preact/hooks";
import { GatewayRequestError, type MockBotAction } from "../client/mod.ts";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { useNextTask } from "../components/Later.tsx";
import { ChannelList } from "../components/front_page/ChannelList.tsx";
import { Composer } from "../components/front_page/Composer.tsx";
import { ConnectionOverlay } from "../components/front_page/ConnectionOverlay.tsx";
import { MessageList } from "../components/front_page/MessageList.tsx";
import { MockAction } from "../client/mod.ts";
import {
  type AutoTyperHost,
  playScript,
  type ScriptPosition,
} from "../lib/front_page/auto_typer.ts";
import { formatClock } from "../lib/front_page/clock.ts";
import { commandHint } from "../lib/front_page/command_hint.ts";
import { type DemoAction, demoReducer, initialDemoState } from "../lib/front_page/demo_state.ts";
import {
  DEMO_CHANNELS,
  type DemoChannel,
  EXAMPLE_START,
  EXAMPLE_TRANSCRIPT,
} from "../lib/front_page/demos.ts";
import { hasOwnReaction, latestOffering, type Message } from "../lib/front_page/transcript.ts";
import { usePageVisible } from "../lib/front_page/use_page_visible.ts";
import { useGateway } from "../lib/use_gateway.ts";

export interface InterpretDemoProps {
  /** The gateway's WebSocket endpoint, usually a path relative to the page (`/gateway`). */
  readonly gatewayPath: string;
}

/** How long a line may wait for the bot before it counts as lost. */
const REPLY_TIMEOUT_MS = 10_000;

/** The static preview: the first demo after a round of its script. */
const PREVIEW: readonly Message[] = EXAMPLE_TRANSCRIPT.map((example, index) => ({
  id: index,
  author: example.author,
  content: example.content,
  at: EXAMPLE_START + example.minute * 60_000,
  edited: false,
  reactions: [],
  status: "sent",
}));

const formatPreviewTime = (at: number) => formatClock(at, { utc: true });
const formatLiveTime = (at: number) => formatClock(at);

function describe(error: unknown): string {
  return error instanceof GatewayRequestError ? error.human : "something went wrong.";
}

function written(actions: readonly MockBotAction[]): number {
  let total = 0;
  for (const action of actions) if ("content" in action) total += action.content.length;
  return total;
}

/**
 * The front page's live demo: a mock Discord server whose channels talk to
 * the real bot logic through the gateway's `ping` frames, with an auto-typer
 * that plays each channel's script until the visitor takes over.
 */
export function InterpretDemo({ gatewayPath }: InterpretDemoProps): VNode {
  // Random mock guild ids are drawn on each side; the server's are never used.
  const [state, dispatchToPreact] = useReducer(demoReducer, undefined, () => initialDemoState());
  // The live demo replaces the preview in a task of its own, not in the one
  // that runs every component's first effects (the gateway client's among them).
  const hydrated = useNextTask();
  const gateway = useGateway(gatewayPath);
  const pageVisible = usePageVisible();
  const client = gateway.client;
  const connected = gateway.status === "connected";

  // Callbacks run long after the render that made them, sometimes twice
  // before the next render (a double click): they read the state as of the
  // last action, which this mirror keeps by applying the reducer eagerly.
  const latest = useRef(state);
  const dispatch = (action: DemoAction) => {
    latest.current = demoReducer(latest.current, action);
    dispatchToPreact(action);
  };
  /** The visitor's message ids: even, from 0, for the whole island. */
  const nextMessageId = useRef(0);
  const positions = useRef<Record<string, ScriptPosition>>({});
  const autoRun = useRef<AbortController | null>(null);
  const everConnected = useRef(false);
  const dropped = useRef(false);

  const send = async (channelId: string, content: string, silent: boolean): Promise<number> => {
    const channel = DEMO_CHANNELS.find((candidate) => candidate.id === channelId);
    const guildId = latest.current.channels[channelId]?.guildId;
    if (client === null || channel === undefined || guildId === undefined) return 0;
    const messageId = nextMessageId.current;
    nextMessageId.current += 2;
    if (!silent) {
      dispatch({ type: "visitor", channel: channelId, id: messageId, content, at: Date.now() });
      dispatch({ type: "awaiting", channel: channelId, delta: 1 });
      // The bot stays silent on a command this channel does not take: the page says where.
      const hint = commandHint(content, channel, DEMO_CHANNELS);
      if (hint !== null) {
        // Negative: apart from the visitor's even ids and the bot's odd ones.
        dispatch({
          type: "hint",
          channel: channelId,
          id: -1 - messageId,
          content: hint,
          at: Date.now(),
        });
      }
    }
    try {
      const reply = await client.request("ping", {
        action: MockAction.messageSend,
        guildId,
        messageId,
        content,
        allowedCommands: [...channel.allowedCommands],
        silent,
      }, { timeoutMs: REPLY_TIMEOUT_MS });
      if (!silent) {
        dispatch({ type: "delivery", channel: channelId, id: messageId, status: "sent" });
      }
      dispatch({ type: "bot", channel: channelId, actions: reply.actions, at: Date.now() });
      return written(reply.actions);
    } catch (error) {
      if (!silent) {
        dispatch({
          type: "delivery",
          channel: channelId,
          id: messageId,
          status: "failed",
          error: describe(error),
        });
      }
      return 0;
    } finally {
      if (!silent) dispatch({ type: "awaiting", channel: channelId, delta: -1 });
    }
  };

  /** Toggles the visitor's own reaction, shown at once and undone if the bot never hears of it. */
  const toggleReaction = async (
    channelId: string,
    messageId: number,
    emoji: string,
  ): Promise<void> => {
    const guildId = latest.current.channels[channelId]?.guildId;
    if (client === null || guildId === undefined) return;
    const mine = hasOwnReaction(
      latest.current.channels[channelId]?.messages ?? [],
      messageId,
      emoji,
    );
    dispatch({ type: "reaction", channel: channelId, id: messageId, emoji, mine: !mine });
    try {
      const reply = await client.request("ping", {
        action: mine ? MockAction.reactionRemove : MockAction.reactionAdd,
        guildId,
        messageId,
        emoji,
      }, { timeoutMs: REPLY_TIMEOUT_MS });
      dispatch({ type: "bot", channel: channelId, actions: reply.actions, at: Date.now() });
    } catch {
      dispatch({ type: "reaction", channel: channelId, id: messageId, emoji, mine });
    }
  };

  // After an outage the bot may be a fresh node that forgot every mock guild:
  // each script restarts its set from the top, on a cleared channel.
  useEffect(() => {
    if (!connected) {
      if (everConnected.current) dropped.current = true;
      return;
    }
    everConnected.current = true;
    if (!dropped.current) return;
    dropped.current = false;
    for (const position of Object.values(positions.current)) position.step = 0;
  }, [connected]);

  const activeAuto = state.channels[state.active]?.auto ?? false;
  useEffect(() => {
    if (!hydrated || client === null || !connected || !activeAuto || !pageVisible) return;
    const channel = DEMO_CHANNELS.find((candidate) => candidate.id === state.active);
    if (channel === undefined) return;
    const id = channel.id;
    const controller = new AbortController();
    autoRun.current = controller;
    const host: AutoTyperHost = {
      type: (text) => dispatch({ type: "autotype", channel: id, text }),
      send: (content, silent) => send(id, content, silent),
      react: async (emoji) => {
        const messages = latest.current.channels[id]?.messages ?? [];
        const target = latestOffering(messages, emoji);
        if (target === undefined || hasOwnReaction(messages, target.id, emoji)) return;
        await toggleReaction(id, target.id, emoji);
      },
      clear: () => dispatch({ type: "clear", channel: id }),
    };
    const position = positions.current[id] ??= { set: 0, step: 0 };
    playScript(channel.script, position, host, controller.signal).catch((error) =>
      globalThis.reportError(error)
    );
    return () => {
      controller.abort();
      if (autoRun.current === controller) autoRun.current = null;
      // A half-typed line would look like the visitor's own draft.
      dispatch({ type: "autotype", channel: id, text: "" });
    };
  }, [hydrated, client, connected, activeAuto, state.active, pageVisible]);

  const takeover = () => {
    const id = latest.current.active;
    if (latest.current.channels[id]?.auto !== true) return;
    // Synchronously: the typer's next keystroke must not land in the visitor's text.
    autoRun.current?.abort();
    dispatch({ type: "takeover", channel: id });
  };

  const input = useRef<HTMLInputElement>(null);
  const suggest = (line: string) => {
    takeover();
    dispatch({ type: "draft", channel: latest.current.active, text: line });
    input.current?.focus();
  };

  const active: DemoChannel = DEMO_CHANNELS.find((c) => c.id === state.active) ??
    (DEMO_CHANNELS[0] as DemoChannel);
  const channel = state.channels[active.id];
  const live = hydrated && client !== null;

  return (
    <div
      class="demo"
      data-hydrated={live ? "true" : undefined}
      data-active-channel={active.id}
    >
      <ChannelList
        channels={DEMO_CHANNELS}
        active={active.id}
        onSelect={(id) => dispatch({ type: "select", channel: id })}
        onSuggest={live ? suggest : undefined}
      />
      <section class="chat" aria-label={`#${active.name}`}>
        <header class="chat-header">
          <span class="chat-hash" aria-hidden="true">#</span>
          <h2 class="chat-title">{active.name}</h2>
          <span class="chat-topic">{active.topic}</span>
          <ConnectionBadge status={live ? gateway.status : "preview"} />
        </header>
        <div class="chat-main">
          <MessageList
            channelName={active.name}
            topic={active.topic}
            messages={live ? channel?.messages ?? [] : PREVIEW}
            formatTime={live ? formatLiveTime : formatPreviewTime}
            onReact={live ? (id, emoji) => void toggleReaction(active.id, id, emoji) : undefined}
            announce={live && channel?.auto === false}
            preview={!live}
          />
          {live && gateway.unreachable && (
            <ConnectionOverlay status={gateway.status} onRetry={gateway.retry} />
          )}
        </div>
        <Composer
          channelName={active.name}
          draft={live ? channel?.draft ?? "" : ""}
          auto={live && (channel?.auto ?? true)}
          live={live}
          waiting={!connected}
          awaiting={live ? channel?.awaiting ?? 0 : 0}
          onDraft={(text) => dispatch({ type: "draft", channel: active.id, text })}
          onTakeover={takeover}
          onSend={(text) => {
            dispatch({ type: "draft", channel: active.id, text: "" });
            void send(active.id, text, false);
          }}
          onResume={() => dispatch({ type: "resume", channel: active.id })}
          inputRef={input}
        />
      </section>
    </div>
  );
}
