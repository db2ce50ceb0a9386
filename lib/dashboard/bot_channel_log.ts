// This module is browser-compatible.
import type { MockBotAction } from "../../client/mod.ts";

/** One line of the bot channel: what the visitor typed, or the bot's answer. */
export interface BotChannelLine {
  readonly id: number;
  readonly author: "you" | "bot";
  readonly content: string;
  readonly status: "sending" | "sent" | "failed";
  readonly error?: string;
}

/** Lines kept; older ones scroll away. */
const KEPT = 40;

export type BotChannelAction =
  | { readonly type: "sent"; readonly id: number; readonly content: string }
  | { readonly type: "answered"; readonly id: number; readonly actions: readonly MockBotAction[] }
  | { readonly type: "failed"; readonly id: number; readonly error: string };

/** The bot channel's transcript: the visitor's lines and the bot's answers to them, in order. */
export function botChannelReducer(
  lines: readonly BotChannelLine[],
  action: BotChannelAction,
): readonly BotChannelLine[] {
  switch (action.type) {
    case "sent":
      return [...lines, {
        id: action.id,
        author: "you" as const,
        content: action.content,
        status: "sending" as const,
      }]
        .slice(-KEPT);
    case "answered": {
      const sent = lines.map((line) =>
        line.id === action.id ? { ...line, status: "sent" as const } : line
      );
      const answers = action.actions.flatMap((reply): BotChannelLine[] =>
        "content" in reply && reply.content !== ""
          ? [{ id: reply.messageId, author: "bot", content: reply.content, status: "sent" }]
          : []
      );
      return [...sent, ...answers].slice(-KEPT);
    }
    case "failed":
      return lines.map((line) =>
        line.id === action.id ? { ...line, status: "failed" as const, error: action.error } : line
      );
  }
}
