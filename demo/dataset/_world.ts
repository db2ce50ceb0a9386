import { hoarFrostAt, hoarFrostTime, type User } from "../../gateway/protocol/mod.ts";
import { SeededRandom } from "../seeded_random.ts";
import { makeUsername } from "./_naming.ts";

/** The dataset's "now": every timestamp in it lies before this instant (2024-06-01T12:00Z). */
export const DEMO_NOW_MS: number = Date.UTC(2024, 5, 1, 12);
export const DAY_MS = 86_400_000;
const DISCORD_LAUNCH_MS = Date.UTC(2015, 4, 13);
const LAST_SIGNUP_MS = Date.UTC(2024, 2, 1);

/** One user of the dataset and what their names were made from. */
export interface Person {
  readonly user: User;
  readonly createdMs: number;
  /** First name, when the username was built from one. */
  readonly given: string | null;
  /** Handle words, when the username was built from them. */
  readonly words: readonly string[];
}

/** Shared state of one generation: every person and every id handed out. */
export class World {
  readonly seed: number;
  readonly people = new Map<string, Person>();
  readonly #usernames = new Set<string>();
  readonly #ids = new Set<string>();

  constructor(seed: number) {
    this.seed = seed;
  }

  rng(label: string): SeededRandom {
    return SeededRandom.derive(this.seed, label);
  }

  /** A fresh snowflake made at `ms`. */
  snowflake(rng: SeededRandom, ms: number): string {
    const stamp = BigInt(hoarFrostAt(Math.floor(ms)));
    for (;;) {
      const low = (rng.int(0, 2) << 17) | (rng.int(0, 3) << 12) | rng.int(0, 4095);
      const id = String(stamp | BigInt(low));
      if (!this.#ids.has(id)) {
        this.#ids.add(id);
        return id;
      }
    }
  }

  /** Registers a person with a fixed identity. */
  fixedPerson(user: User, given: string | null = null): Person {
    const person: Person = { user, createdMs: hoarFrostTime(user.id), given, words: [] };
    this.#ids.add(user.id);
    this.#usernames.add(user.username);
    this.people.set(user.id, person);
    return person;
  }

  /** A newly generated person with a unique username. */
  newPerson(rng: SeededRandom, createdBefore = LAST_SIGNUP_MS): Person {
    const createdMs = between(rng, DISCORD_LAUNCH_MS, createdBefore);
    const id = this.snowflake(rng, createdMs);
    const { base, given, words } = makeUsername(rng);
    let username = base;
    while (this.#usernames.has(username)) {
      username = `${base}${rng.chance(0.5) ? "_" : ""}${rng.int(2, 9999)}`;
    }
    this.#usernames.add(username);
    const user: User = {
      id,
      username,
      discriminator: discriminator(rng),
      avatar: rng.chance(0.75) ? avatarHash(rng) : null,
    };
    const person: Person = { user, createdMs, given, words };
    this.people.set(id, person);
    return person;
  }
}

/** A random instant in [from, to) (at `from` when the span is empty). */
export function between(rng: SeededRandom, from: number, to: number): number {
  return from + Math.floor(rng.next() * Math.max(1, to - from));
}

function discriminator(rng: SeededRandom): string {
  return String(rng.int(1, 9999)).padStart(4, "0");
}

function avatarHash(rng: SeededRandom): string {
  return (rng.chance(0.06) ? "a_" : "") + rng.hex(32);
}
