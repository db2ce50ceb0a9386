// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { clumpMessages } from "../../lib/front_page/clumps.ts";
import { type Author, type Message, reactionCount } from "../../lib/front_page/transcript.ts";
import { Adopted } from "../Adopted.tsx";
import { pure } from "../pure.tsx";
import { Markdown } from "./Markdown.tsx";

/** How the two people of the demo look. */
const PEOPLE: Readonly<Record<Author, { name: string; initial: string; bot: boolean }>> = {
  bot: { name: "architus", initial: "A", bot: true },
  you: { name: "you", initial: "Y", bot: false },
};

export interface MessageListProps {
  readonly channelName: string;
  readonly topic: string;
  readonly messages: readonly Message[];
  readonly formatTime: (at: number) => string;
  /** Clicking a reaction; without it the reactions are not buttons (the static preview). */
  readonly onReact?: (messageId: number, emoji: string) => void;
  /**
   * Whether screen readers hear new messages as they come: only once the
   * visitor talks to the bot; the auto demo would talk over everything.
   */
  readonly announce: boolean;
  /**
   * The scrollback is the server's static preview, which hydration keeps as
   * the server rendered it (see `Adopted`) until the live demo replaces it.
   */
  readonly preview?: boolean;
}

/** Within this many pixels of the bottom, new messages keep the view pinned to the bottom. */
const STICK_PX = 80;

/**
 * The channel's scrollback: Discord-style clumps with avatar, name, time and
 * reactions. Drawn again only when the messages change, not on every
 * keystroke of the message box.
 */
export const MessageList = pure(function MessageList(props: MessageListProps): VNode {
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  // The server's preview stays in the page, hidden, for one task after the
  // live list replaces it: hiding it is one style change, while taking its
  // nodes out of the layout at once is what made the swap a long task.
  const [previewKept, setPreviewKept] = useState(props.preview === true);
  useEffect(() => {
    if (props.preview === true || !previewKept) return;
    const timer = setTimeout(() => setPreviewKept(false), 0);
    return () => clearTimeout(timer);
  }, [props.preview, previewKept]);

  // Scrolls the list itself, never the page: the demo sits mid-page, and
  // `scrollIntoView` would yank a visitor who is reading something else.
  //
  // In the next frame, before it paints: reading the height right after the DOM
  // changed would make the browser lay the page out inside this task as well.
  useLayoutEffect(() => {
    const frame = requestAnimationFrame(() => {
      const element = scroller.current;
      if (element !== null && stick.current) element.scrollTop = element.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  });
  useLayoutEffect(() => {
    stick.current = true;
  }, [props.channelName]);

  const onScroll = () => {
    const element = scroller.current;
    if (element === null) return;
    stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
  };

  return (
    <div
      class="chat-scroll"
      ref={scroller}
      onScroll={onScroll}
      role="log"
      aria-live={props.announce ? "polite" : "off"}
      aria-label={`Messages in #${props.channelName}`}
      tabIndex={0}
    >
      {previewKept && (
        <Adopted
          class="chat-log"
          hidden={!props.preview}
          render={() => scrollback(props)}
        />
      )}
      {!props.preview && <div class="chat-log">{scrollback(props)}</div>}
    </div>
  );
});

/** The welcome banner and the messages in clumps. */
function scrollback(props: MessageListProps): VNode {
  return (
    <>
      <div class="chat-welcome">
        <div class="chat-welcome-icon" aria-hidden="true">#</div>
        <h3>Welcome to #{props.channelName}!</h3>
        <p>{props.topic}</p>
      </div>
      {clumpMessages(props.messages).map((clump) => {
        const person = PEOPLE[clump.author];
        return (
          <article class={`clump clump-${clump.author}`} key={clump.messages[0]?.id}>
            <div class={`avatar avatar-${clump.author}`} aria-hidden="true">{person.initial}</div>
            <div class="clump-body">
              <header class="clump-header">
                <span class={`author author-${clump.author}`}>{person.name}</span>
                {person.bot && <span class="bot-tag">BOT</span>}
                <time class="clump-time">{props.formatTime(clump.at)}</time>
              </header>
              {clump.messages.map((message) => (
                <MessageItem key={message.id} message={message} onReact={props.onReact} />
              ))}
            </div>
          </article>
        );
      })}
    </>
  );
}

/** One message; drawn again only when it changes (a new message leaves the others be). */
const MessageItem = pure(function MessageItem(
  { message, onReact }: {
    message: Message;
    onReact: ((messageId: number, emoji: string) => void) | undefined;
  },
): VNode {
  return (
    <div
      class={`message message-${message.status}${message.ephemeral ? " message-ephemeral" : ""}`}
      data-message-id={message.id}
      data-author={message.author}
      data-ephemeral={message.ephemeral ? "true" : undefined}
    >
      <div class="message-content">
        <Markdown text={message.content} />
        {message.edited && <span class="edited">(edited)</span>}
      </div>
      {message.ephemeral && <div class="ephemeral-note">Only you can see this</div>}
      {message.status === "failed" && (
        <div class="message-error" role="status">
          Not delivered: {message.error ?? "the gateway did not answer."}
        </div>
      )}
      {message.reactions.length > 0 && (
        <div class="reactions">
          {message.reactions.map((reaction) => {
            const count = reactionCount(reaction);
            const label = `${reaction.emoji} ${count}${
              reaction.mine ? ", including you" : ""
            }. Click to ${reaction.mine ? "remove your" : "add your"} reaction`;
            return (
              <button
                type="button"
                key={reaction.emoji}
                class={reaction.mine ? "reaction reaction-mine" : "reaction"}
                aria-pressed={reaction.mine}
                aria-label={label}
                data-emoji={reaction.emoji}
                disabled={onReact === undefined}
                onClick={() => onReact?.(message.id, reaction.emoji)}
              >
                <span class="reaction-emoji">{reaction.emoji}</span>
                <span class="reaction-count">{count}</span>
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
});
