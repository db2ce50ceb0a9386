// This module is browser-compatible.
import type { ScriptSet } from "./demos.ts";

/** Where a channel's auto-typer is; kept across pauses so it resumes where it stopped. */
export interface ScriptPosition {
  set: number;
  step: number;
}

/** What the auto-typer acts on: the channel's input box, transcript and the gateway. */
export interface AutoTyperHost {
  /** Shows `text` in the input box, as if typed. */
  type(text: string): void;
  /** Sends a line; resolves when the bot has answered, with how much it wrote (0 on failure). */
  send(content: string, silent: boolean): Promise<number>;
  /** Clicks `emoji` under the newest bot message offering it. */
  react(emoji: string): Promise<void>;
  /** Empties the transcript before a set. */
  clear(): void;
}

/** The pace of the auto-typer, in milliseconds. */
export interface AutoTyperTiming {
  /** A key takes from `keyMinMs` to `keyMaxMs`. */
  readonly keyMinMs: number;
  readonly keyMaxMs: number;
  /** Pause after each line, before reading time. */
  readonly lineMs: number;
  /** Extra reading time per character of the bot's answer, up to `readMaxMs`. */
  readonly readPerCharMs: number;
  readonly readMaxMs: number;
  /** Pause between sets. */
  readonly setMs: number;
}

/** Close to the original front page: a human-ish typing speed and time to read. */
const DEFAULT_TIMING: AutoTyperTiming = {
  keyMinMs: 40,
  keyMaxMs: 90,
  lineMs: 800,
  readPerCharMs: 10,
  readMaxMs: 2500,
  setMs: 2000,
};

/** Resolves after `ms`, or rejects with the signal's reason once it is aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Plays `script` in a loop until `signal` aborts, advancing `position` as
 * it goes. A set starts on a cleared channel with its setup lines sent
 * silently; a step counts as done once sent, so a resumed typer never sends
 * a line twice. Resolves (never rejects) when aborted.
 */
export async function playScript(
  script: readonly ScriptSet[],
  position: ScriptPosition,
  host: AutoTyperHost,
  signal: AbortSignal,
  options: { timing?: AutoTyperTiming; random?: () => number } = {},
): Promise<void> {
  if (script.length === 0) return;
  const timing = options.timing ?? DEFAULT_TIMING;
  const random = options.random ?? Math.random;
  const live = () => {
    // Every effect is checked: an abort may land between a timer and its work.
    if (signal.aborted) throw signal.reason;
  };
  try {
    for (;;) {
      position.set %= script.length;
      const set = script[position.set] as ScriptSet;
      if (position.step === 0) {
        live();
        host.clear();
        for (const line of set.setup ?? []) {
          live();
          await host.send(line, true);
        }
      }
      while (position.step < set.steps.length) {
        const step = set.steps[position.step];
        if (typeof step === "string") {
          for (let typed = 1; typed <= step.length; typed++) {
            await sleep(timing.keyMinMs + random() * (timing.keyMaxMs - timing.keyMinMs), signal);
            live();
            host.type(step.slice(0, typed));
          }
          await sleep(timing.keyMaxMs * 2, signal);
          live();
          host.type("");
          position.step++;
          const written = await host.send(step, false);
          const reading = Math.min(timing.readMaxMs, written * timing.readPerCharMs);
          await sleep(timing.lineMs + reading, signal);
        } else if (step !== undefined) {
          await sleep(timing.lineMs / 2, signal);
          live();
          position.step++;
          await host.react(step.react);
          await sleep(timing.lineMs, signal);
        } else {
          position.step++;
        }
      }
      for (const line of set.cleanup ?? []) {
        live();
        await host.send(line, true);
      }
      await sleep(timing.setMs, signal);
      live();
      position.set = (position.set + 1) % script.length;
      position.step = 0;
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
