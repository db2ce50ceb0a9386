// This module is browser-compatible.
import type { Author, Message } from "./transcript.ts";

/** Consecutive messages of one author, shown under one name and avatar as Discord does. */
export interface Clump {
  readonly author: Author;
  /** When the first message was posted. */
  readonly at: number;
  readonly messages: readonly Message[];
}

/** How far apart two messages of one author may be and still share a header. */
const CLUMP_GAP_MS = 5 * 60_000;

/** Groups messages into clumps: same author, each within `gapMs` of the clump's start. */
export function clumpMessages(messages: readonly Message[], gapMs = CLUMP_GAP_MS): Clump[] {
  const clumps: Clump[] = [];
  let current: { author: Author; at: number; messages: Message[] } | undefined;
  for (const message of messages) {
    if (
      current !== undefined && current.author === message.author &&
      message.at - current.at <= gapMs
    ) {
      current.messages.push(message);
      continue;
    }
    current = { author: message.author, at: message.at, messages: [message] };
    clumps.push(current);
  }
  return clumps;
}
