// This module is browser-compatible.
import type { NameLookup } from "./name_directory.ts";

type Kind = "member" | "role" | "channel";

type Found = ReturnType<NameLookup[Kind]>;

function signature(found: Found): string {
  if (found === undefined) return "?";
  if (found === null) return "-";
  return typeof found === "string" ? `=${found}` : `=${found.name}|${found.color ?? ""}`;
}

/**
 * The names one view read while it drew, and what each read as: when names
 * arrive (for whatever row asked), a view whose own names all read the
 * same need not draw again. A busy log's screenful of rows, each drawn
 * again for every batch of names any of them asked for, is most of the
 * work a name lookup causes.
 */
export class NamesSeen {
  #seen: Array<readonly [Kind, string, string]> = [];

  /** A lookup that notes what it answers; each call forgets what an earlier drawing read. */
  through(names: NameLookup): NameLookup {
    const seen: Array<readonly [Kind, string, string]> = this.#seen = [];
    const note = <T extends Found>(kind: Kind, id: string, found: T): T => {
      seen.push([kind, id, signature(found)]);
      return found;
    };
    return {
      member: (id) => note("member", id, names.member(id)),
      role: (id) => note("role", id, names.role(id)),
      channel: (id) => note("channel", id, names.channel(id)),
    };
  }

  /** Whether any name read in the last drawing reads differently in `names` now. */
  changedIn(names: NameLookup): boolean {
    return this.#seen.some(([kind, id, was]) => signature(names[kind](id)) !== was);
  }
}
