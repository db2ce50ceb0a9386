// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import { gatewayRequest } from "../../client/mod.ts";
import { botChannelReducer } from "../../lib/dashboard/bot_channel_log.ts";
import { useDashboardStore } from "../../lib/dashboard/use_store.ts";
import { Markdown } from "../front_page/Markdown.tsx";
import { Later } from "../Later.tsx";

const WIDE = "(min-width: 721px)";

/**
 * The development bot channel of the watched guild: what is typed goes to
 * the demo backend as `interpret` with the guild's id and the signed-in
 * member's rights, as if typed in the guild's Discord channel. `!set
 * trigger::response` and `!remove trigger` change the guild's auto
 * responses there, and the change comes back to every tab watching the
 * guild as `log_pool`, this one included.
 */
export function BotChannelPanel(
  { guildId, guildName }: { guildId: string; guildName: string },
): VNode {
  const store = useDashboardStore();
  const [lines, dispatch] = useReducer(botChannelReducer, []);
  const [draft, setDraft] = useState("");
  // On a phone the log needs the height: the panel starts folded there.
  const [open, setOpen] = useState(() => globalThis.matchMedia?.(WIDE).matches ?? true);
  const [foldedAtFirst] = useState(!open);
  /** The visitor's message ids: even, as Discord's mock wants them. */
  const nextId = useRef(0);
  const log = useRef<HTMLDivElement>(null);

  // Follows the newest line. Reading the height lays the page out: not for an empty
  // channel (the panel mounting with a guild's log), nor while the panel is folded.
  useEffect(() => {
    const element = log.current;
    if (element !== null && open && lines.length > 0) element.scrollTop = element.scrollHeight;
  }, [lines, open]);

  const send = async (content: string) => {
    const id = nextId.current;
    nextId.current += 2;
    dispatch({ type: "sent", id, content });
    const outcome = await store.dispatch(
      gatewayRequest("interpret", { guild_id: guildId, message_id: id, content }),
    );
    if (outcome.type === "gateway/request/success") {
      dispatch({ type: "answered", id, actions: outcome.payload.actions });
    } else {
      dispatch({ type: "failed", id, error: outcome.payload.human });
    }
  };

  // Folded, the log and the form are drawn a task later: nobody sees them in
  // the first frame, and the header holds the panel's place meanwhile.
  const body = (
    <>
      <div
        class="bot-channel-log"
        ref={log}
        role="log"
        aria-label="Bot channel messages"
        tabIndex={0}
      >
        <ol class="bot-lines">
          {lines.length === 0 && (
            <li class="bot-line bot-line-hint">
              Try <code>!set hello::Hi there!</code>, then{" "}
              <code>!remove hello</code>: the auto responses of every tab watching {guildName}{" "}
              follow.
            </li>
          )}
          {lines.map((line) => (
            <li
              key={`${line.author}-${line.id}`}
              class={`bot-line bot-line-${line.author} bot-line-${line.status}`}
              data-testid="bot-line"
              data-author={line.author}
            >
              <span class="bot-line-author">{line.author === "bot" ? "Architus" : "You"}</span>
              <span class="bot-line-text">
                <Markdown text={line.content} />
                {line.status === "failed" && (
                  <span class="bot-line-error">Not delivered: {line.error}</span>
                )}
              </span>
            </li>
          ))}
        </ol>
      </div>
      <form
        class="bot-channel-form"
        onSubmit={(event) => {
          event.preventDefault();
          const content = draft.trim();
          if (content === "") return;
          setDraft("");
          void send(content);
        }}
      >
        <label class="sr-only" for="bot-channel-input">Message #bot-commands</label>
        <input
          id="bot-channel-input"
          class="field-input bot-channel-input"
          placeholder="Message #bot-commands"
          maxLength={1000}
          autoComplete="off"
          value={draft}
          data-testid="bot-channel-input"
          onInput={(event) => setDraft((event.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="button button-small" disabled={draft.trim() === ""}>
          Send
        </button>
      </form>
    </>
  );
  return (
    <section
      class={open ? "bot-channel" : "bot-channel bot-channel-closed"}
      aria-labelledby="bot-channel-title"
      data-testid="bot-channel"
      data-guild-id={guildId}
    >
      <header class="bot-channel-header">
        <h2 id="bot-channel-title" class="bot-channel-title">
          <span aria-hidden="true">#</span> bot-commands
        </h2>
        <span class="bot-channel-note">development: talks to the demo bot in {guildName}</span>
        <button
          type="button"
          class="button-link"
          aria-expanded={open}
          aria-controls="bot-channel-body"
          onClick={() => setOpen(!open)}
        >
          {open ? "Hide" : "Show"}
        </button>
      </header>
      <div id="bot-channel-body" class="bot-channel-body" hidden={!open}>
        {foldedAtFirst ? <Later>{body}</Later> : body}
      </div>
    </section>
  );
}
