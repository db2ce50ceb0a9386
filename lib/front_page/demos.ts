// This module is browser-compatible.

/** One step the auto-typer plays: a line to type and send, or a reaction to click. */
export type ScriptStep =
  | string
  /** Click this reaction under the newest bot message offering it. */
  | { readonly react: string };

/** A set of lines played together, on a cleared channel. */
export interface ScriptSet {
  /** Sent silently (not shown) before the set, so it starts from a known state. */
  readonly setup?: readonly string[];
  readonly steps: readonly ScriptStep[];
  /** Sent silently after the set. */
  readonly cleanup?: readonly string[];
}

/** A demo channel: which commands the bot accepts there and what the auto-typer plays. */
export interface DemoChannel {
  readonly id: string;
  readonly name: string;
  readonly topic: string;
  readonly allowedCommands: readonly string[];
  readonly script: readonly ScriptSet[];
  /** Lines offered to the visitor to try, one click away. */
  readonly suggestions: readonly string[];
}

/**
 * The three demos of the original front page, adapted to the commands the
 * mock bot accepts (`!poll "question" a, b`, `!schedule <title> <time>`).
 */
export const DEMO_CHANNELS: readonly DemoChannel[] = [
  {
    id: "auto-response-demo",
    name: "auto-response-demo",
    topic: "Teach Architus to answer: !set trigger::response",
    allowedCommands: ["set", "remove"],
    script: [
      {
        setup: ["!remove thanks"],
        steps: [
          "!help",
          "!set thanks::[you're welcome!,no problem!]",
          "thanks",
          "thanks a lot",
          "!remove thanks",
        ],
      },
      {
        setup: ["!remove hi"],
        steps: ["!set hi::hey", "hi", "!set hi::hello :wave:", "hi there", "!remove hi"],
        cleanup: ["!remove hi"],
      },
    ],
    suggestions: ["!set gm::good morning :wave:", "gm everyone", "!remove gm"],
  },
  {
    id: "polls-schedules-demo",
    name: "polls-schedules-demo",
    topic: "Polls, exclusive polls and events people can RSVP to",
    allowedCommands: ["poll", "xpoll", "schedule"],
    script: [
      {
        steps: [
          "!schedule cool event 12pm",
          { react: "✅" },
          '!xpoll "a hot dog is a:" sandwich, not a sandwich',
          { react: "2️⃣" },
          "vote in the poll above @everyone",
        ],
      },
      {
        steps: [
          "!help",
          '!poll "Best pet?" cats, dogs, lizards',
          { react: "1️⃣" },
          "!schedule Overwatch scrims 8pm Wednesday",
          { react: "🤷" },
        ],
      },
    ],
    suggestions: ['!poll "lunch?" pizza, tacos', "!schedule movie night 8pm Friday"],
  },
  {
    id: "help",
    name: "help",
    topic: "Everything the demo bot can do",
    allowedCommands: ["set", "remove", "poll", "xpoll", "schedule"],
    script: [{ steps: ["!help", "!help poll"] }, { steps: ["!help schedule", "!help set"] }],
    suggestions: ["!help", "!help xpoll"],
  },
];

/** A message of the static example shown before the island hydrates (or without JavaScript). */
export interface ExampleMessage {
  readonly author: "bot" | "you";
  /** Minutes after the example's start (4:20 PM). */
  readonly minute: number;
  readonly content: string;
}

/** 4:20 PM UTC on an arbitrary day: the static preview formats times in UTC. */
export const EXAMPLE_START = Date.UTC(2020, 0, 1, 16, 20);

/** What `#auto-response-demo` looks like after a round of its script. */
export const EXAMPLE_TRANSCRIPT: readonly ExampleMessage[] = [
  { author: "you", minute: 0, content: "!set thanks::[you're welcome!,no problem!]" },
  {
    author: "bot",
    minute: 0,
    content:
      'Sure thing — I\'ll respond to "thanks" with "you\'re welcome!" or "no problem!" (picked at random).',
  },
  { author: "you", minute: 1, content: "thanks" },
  { author: "bot", minute: 1, content: "no problem!" },
  { author: "you", minute: 1, content: "!set hi::hello :wave:" },
  { author: "bot", minute: 1, content: 'Sure thing — I\'ll respond to "hi" with "hello :wave:".' },
  { author: "you", minute: 2, content: "hi there" },
  { author: "bot", minute: 2, content: "hello :wave:" },
];
