import type { SeededRandom } from "../seeded_random.ts";
import { ADJECTIVES, FIRST_NAMES, NICK_EMOJIS, NICK_SUFFIXES, NOUNS, SURNAMES } from "./_names.ts";

/** A generated username and what it was made from. */
interface Username {
  readonly base: string;
  /** The first name in it, if any. */
  readonly given: string | null;
  /** The handle words in it, if any. */
  readonly words: readonly string[];
}

/** A username in one of the styles people pick: a name, a full name, a handle, … */
export function makeUsername(rng: SeededRandom): Username {
  const style = rng.next();
  if (style < 0.3) {
    const given = rng.pick(FIRST_NAMES);
    const digits = rng.chance(0.4) ? String(rng.int(1, 99)).padStart(2, "0") : "";
    return { base: given + (digits && rng.chance(0.5) ? "_" : "") + digits, given, words: [] };
  }
  if (style < 0.55) {
    const given = rng.pick(FIRST_NAMES);
    const surname = rng.pick(SURNAMES);
    const sep = rng.pick([".", "_", ""]);
    return { base: `${given}${sep}${surname}`, given, words: [] };
  }
  if (style < 0.85) {
    const adjective = rng.pick(ADJECTIVES);
    const noun = rng.pick(NOUNS);
    const sep = rng.pick(["", "", "_", "."]);
    const digits = rng.chance(0.35) ? String(rng.int(1, 999)) : "";
    return { base: `${adjective}${sep}${noun}${digits}`, given: null, words: [adjective, noun] };
  }
  if (style < 0.95) {
    const given = rng.pick(FIRST_NAMES);
    const noun = rng.pick(NOUNS);
    return rng.chance(0.5)
      ? { base: `${noun}.${given}`, given, words: [noun] }
      : { base: `${given}the${noun}`, given, words: [noun] };
  }
  const noun = rng.pick(NOUNS);
  return { base: `the${noun}${rng.int(1, 99)}`, given: null, words: [noun] };
}

/** A per-guild nickname, or null (about 55% have none). */
export function makeNick(
  rng: SeededRandom,
  person: { readonly given: string | null; readonly words: readonly string[] },
): string | null {
  if (rng.chance(0.55)) return null;
  const given = person.given ?? rng.pick(FIRST_NAMES);
  const style = rng.next();
  if (style < 0.35) return capitalize(given);
  if (style < 0.5) return `${capitalize(given)} ${rng.pick(SURNAMES).charAt(0).toUpperCase()}.`;
  if (style < 0.62) return `${rng.pick(NICK_EMOJIS)} ${capitalize(given)}`;
  if (style < 0.72) return `${capitalize(given)} | ${rng.pick(NICK_SUFFIXES)}`;
  if (person.words.length > 0 && style < 0.9) return person.words.map(capitalize).join(" ");
  return `${capitalize(rng.pick(ADJECTIVES))} ${capitalize(given)}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
