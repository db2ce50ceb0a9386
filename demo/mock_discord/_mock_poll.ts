import { CLIENT_MENTION, clip, emojiKey, MAX_CONTENT_CHARS, squash } from "./_mock_text.ts";

/** The reactions a poll offers, in option order. */
export const POLL_EMOJIS: readonly string[] = [
  "1️⃣",
  "2️⃣",
  "3️⃣",
  "4️⃣",
  "5️⃣",
  "6️⃣",
  "7️⃣",
  "8️⃣",
  "9️⃣",
  "🔟",
];
const MAX_POLL_OPTIONS = POLL_EMOJIS.length;
/** Question and option lengths are capped so ten options always fit one message. */
const MAX_QUESTION_CHARS = 200;
const MAX_OPTION_CHARS = 100;

/** A poll's fixed part; the votes live in the message's reactions. */
export interface Poll {
  readonly kind: "poll";
  /** `!xpoll`: one vote per person. */
  readonly exclusive: boolean;
  readonly question: string;
  readonly options: readonly string[];
  /** More options were given than there are number emojis. */
  readonly truncated: boolean;
}

/**
 * Parses `question, option1, option2, …` or `"question" option1, option2, …`
 * (straight or curly quotes). Null when there is no question or fewer than two
 * options.
 */
export function parsePoll(argument: string, exclusive: boolean): Poll | null {
  const text = argument.trim();
  let question: string;
  let parts: string[];
  const quoted = /^["“]([^"”]*)["”]\s*,?(.*)$/s.exec(text);
  if (quoted !== null) {
    question = quoted[1] ?? "";
    const rest = (quoted[2] ?? "").trim();
    // Without commas, `"question" yes no` most plausibly means one word per option.
    parts = rest.includes(",") ? rest.split(",") : rest.split(/\s+/);
  } else {
    [question = "", ...parts] = text.split(",");
  }
  question = clip(squash(question), MAX_QUESTION_CHARS);
  const options = parts.map((part) => clip(squash(part), MAX_OPTION_CHARS)).filter((part) =>
    part !== ""
  );
  if (question === "" || options.length < 2) return null;
  return {
    kind: "poll",
    exclusive,
    question,
    options: options.slice(0, MAX_POLL_OPTIONS),
    truncated: options.length > MAX_POLL_OPTIONS,
  };
}

/** The option a reaction votes for, or -1. */
export function pollOptionOf(poll: Poll, emoji: string): number {
  const key = emojiKey(emoji);
  const index = POLL_EMOJIS.findIndex((option) => emojiKey(option) === key);
  return index < poll.options.length ? index : -1;
}

/** The poll message as it reads with the visitor's current reactions (keyed by `emojiKey`). */
export function renderPoll(poll: Poll, reactions: ReadonlySet<string>): string {
  const lines = [
    `📊 **${poll.question}**`,
    poll.exclusive
      ? "_React with a number to vote. One vote per person._"
      : "_React with a number to vote._",
  ];
  poll.options.forEach((option, index) => {
    const emoji = POLL_EMOJIS[index] ?? "";
    const voted = reactions.has(emojiKey(emoji));
    const count = voted ? "1 vote: " + CLIENT_MENTION : "0 votes";
    lines.push(`${emoji} ${option} — ${count}`);
  });
  if (poll.truncated) lines.push(`_Only the first ${MAX_POLL_OPTIONS} options are used._`);
  return clip(lines.join("\n"), MAX_CONTENT_CHARS);
}
