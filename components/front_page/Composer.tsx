// This module is browser-compatible.
import type { Ref, VNode } from "preact";
import { LIMITS } from "../../client/mod.ts";

export interface ComposerProps {
  readonly channelName: string;
  readonly draft: string;
  /** The auto-typer owns the box. */
  readonly auto: boolean;
  /** False for the static preview: nothing can be sent before hydration. */
  readonly live: boolean;
  /** The gateway is not connected: the auto-typer waits for it. */
  readonly waiting: boolean;
  /** How many of the visitor's lines wait for the bot. */
  readonly awaiting: number;
  readonly onDraft: (text: string) => void;
  /** The visitor focused or typed: the auto-typer must stop at once. */
  readonly onTakeover: () => void;
  readonly onSend: (text: string) => void;
  readonly onResume: () => void;
  readonly inputRef?: Ref<HTMLInputElement>;
}

/** The message box under the channel, with the auto-demo control and the typing indicator. */
export function Composer(props: ComposerProps): VNode {
  const { channelName, draft, auto, live } = props;
  const text = draft.trim();
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        if (!live || props.auto || text === "") return;
        props.onSend(text);
      }}
    >
      <div class="composer-box">
        <input
          ref={props.inputRef}
          id="demo-message"
          name="message"
          class="composer-input"
          type="text"
          value={draft}
          placeholder={live
            ? `Message #${channelName}`
            : `Message #${channelName} (needs JavaScript)`}
          aria-label={`Message #${channelName}`}
          maxLength={LIMITS.contentChars}
          autocomplete="off"
          spellcheck={false}
          enterKeyHint="send"
          disabled={!live}
          onFocus={props.onTakeover}
          onInput={(event) => {
            props.onTakeover();
            props.onDraft(event.currentTarget.value);
          }}
        />
        <button
          class="composer-send"
          type="submit"
          aria-label="Send"
          disabled={!live || auto || text === ""}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10.1 15.4 12 3.4 13.9z" />
          </svg>
        </button>
      </div>
      <div class="composer-status">
        <span class="typing" aria-live="polite">
          {props.awaiting > 0 && (
            <>
              <span class="typing-dots" aria-hidden="true">
                <i />
                <i />
                <i />
              </span>
              <strong>architus</strong> is typing…
            </>
          )}
        </span>
        {live && (auto
          ? (
            <span class="auto-note">
              {props.waiting
                ? "Auto demo waiting for the connection…"
                : "Auto demo playing · click the box to type yourself"}
            </span>
          )
          : (
            <span class="auto-note auto-paused">
              Auto demo paused — press
              <button
                type="button"
                class="auto-resume"
                aria-label="Resume the auto demo"
                data-testid="resume-auto"
                onClick={props.onResume}
              >
                ▶
              </button>
              to resume
            </span>
          ))}
      </div>
    </form>
  );
}
