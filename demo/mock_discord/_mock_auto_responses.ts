import { clip, squash } from "./_mock_text.ts";

/** Longest trigger accepted; longer ones are refused, not cut, so what fires is what was set. */
export const MAX_TRIGGER_CHARS = 100;
/**
 * Longest response accepted (all choices together). Kept well under the message
 * limit because every mock guild may hold dozens of these in memory.
 */
export const MAX_RESPONSE_CHARS = 1000;
/** A message that matches many triggers still gets only this many replies, so output stays small. */
const MAX_REPLIES_PER_MESSAGE = 5;

/** One auto response: the trigger as typed and the responses to pick from. */
interface AutoResponse {
  readonly trigger: string;
  readonly responses: readonly string[];
}

interface Entry extends AutoResponse {
  readonly pattern: RegExp;
}

/** What `!set`'s argument means, or why it cannot be used. */
type ParsedSet =
  | { readonly ok: true; readonly trigger: string; readonly responses: readonly string[] }
  | { readonly ok: false; readonly reason: "syntax" | "trigger_too_long" | "response_too_long" };

/**
 * Parses `trigger::response`. A response written `[a,b,c]` is a list of
 * choices, one picked at random each time.
 */
export function parseSet(argument: string): ParsedSet {
  const split = argument.indexOf("::");
  if (split < 0) return { ok: false, reason: "syntax" };
  const trigger = squash(argument.slice(0, split));
  const raw = argument.slice(split + 2).trim();
  if (trigger === "" || raw === "") return { ok: false, reason: "syntax" };
  if (trigger.length > MAX_TRIGGER_CHARS) return { ok: false, reason: "trigger_too_long" };
  if (raw.length > MAX_RESPONSE_CHARS) return { ok: false, reason: "response_too_long" };
  let responses = [raw];
  if (raw.length >= 2 && raw.startsWith("[") && raw.endsWith("]")) {
    responses = raw.slice(1, -1).split(",").map((part) => part.trim()).filter((part) =>
      part !== ""
    );
    if (responses.length === 0) return { ok: false, reason: "syntax" };
  }
  return { ok: true, trigger, responses };
}

/** The key a trigger is stored under: triggers differing only in case or spacing are the same. */
export function triggerKey(trigger: string): string {
  return squash(trigger).toLowerCase();
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * A case-insensitive pattern for the trigger as a whole word or phrase: `hi`
 * must not fire inside `this`. Word boundaries are only required on edges that
 * are word characters, so a trigger like `:wave:` or `?!` still matches.
 */
function triggerPattern(trigger: string): RegExp {
  const words = trigger.split(" ").map((word) => word.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  const chars = Array.from(trigger);
  const before = WORD_CHAR.test(chars[0] ?? "") ? "(?<![\\p{L}\\p{N}_])" : "";
  const after = WORD_CHAR.test(chars[chars.length - 1] ?? "") ? "(?![\\p{L}\\p{N}_])" : "";
  return new RegExp(`${before}${words.join("\\s+")}${after}`, "iu");
}

/** One mock guild's auto responses, never persisted. */
export class AutoResponses {
  readonly #entries = new Map<string, Entry>();

  get size(): number {
    return this.#entries.size;
  }

  has(trigger: string): boolean {
    return this.#entries.has(triggerKey(trigger));
  }

  /** Adds or replaces; the caller enforces the per-guild bound. */
  set(trigger: string, responses: readonly string[]): void {
    const clean = squash(trigger);
    this.#entries.set(triggerKey(clean), {
      trigger: clean,
      responses: responses.map((response) => clip(response, MAX_RESPONSE_CHARS)),
      pattern: triggerPattern(clean),
    });
  }

  /** Removes the trigger; false when there was none. */
  remove(trigger: string): boolean {
    return this.#entries.delete(triggerKey(trigger));
  }

  /**
   * The auto responses the message triggers, in the order their triggers
   * first appear in it, at most `MAX_REPLIES_PER_MESSAGE`.
   */
  match(content: string): AutoResponse[] {
    const hits: Array<{ index: number; entry: Entry }> = [];
    for (const entry of this.#entries.values()) {
      const found = entry.pattern.exec(content);
      if (found !== null) hits.push({ index: found.index, entry });
    }
    hits.sort((a, b) => a.index - b.index);
    return hits.slice(0, MAX_REPLIES_PER_MESSAGE).map(({ entry }) => ({
      trigger: entry.trigger,
      responses: entry.responses,
    }));
  }
}
