import { type ComponentProps, h, type VNode } from "preact";
import { type IslandName, ISLANDS } from "../boot/islands.ts";

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Throws a `TypeError` naming the path of the first value JSON would drop
 * or change (undefined, functions, NaN, dates, maps, cycles…): props the
 * browser would hydrate with must be the props the server rendered with.
 */
export function assertJsonSafe(value: unknown, path = "props", seen = new Set<object>()): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (Number.isFinite(value)) return;
      throw new TypeError(`${path} is ${value}, which JSON cannot represent`);
    case "object": {
      if (value === null) return;
      if (seen.has(value)) throw new TypeError(`${path} is circular`);
      if (!Array.isArray(value) && !isPlainObject(value)) {
        throw new TypeError(`${path} is a ${value.constructor?.name ?? "non-plain object"}`);
      }
      seen.add(value);
      if (Array.isArray(value)) {
        value.forEach((item, index) => assertJsonSafe(item, `${path}[${index}]`, seen));
      } else {
        for (const [key, item] of Object.entries(value)) {
          assertJsonSafe(item, `${path}.${key}`, seen);
        }
      }
      seen.delete(value);
      return;
    }
    default:
      throw new TypeError(
        `${path} is ${typeof value === "undefined" ? "undefined" : typeof value}`,
      );
  }
}

/** Characters that could end an attribute, a `<script>`, or a comment, or break old JS parsers. */
const UNSAFE = /[<>&'\u2028\u2029]/g;

/**
 * Island props as JSON that is inert anywhere in an HTML document. `<`, `>`,
 * `&` and `'` become `\u00XX` escapes (they can only occur inside JSON strings,
 * where the escape means the same character), so `</script>` and `<!--`
 * cannot appear; U+2028/U+2029 are escaped for pre-ES2019 parsers. The one
 * character left that matters in an attribute is `"`, which the renderer
 * writes as `&quot;`.
 */
export function serializeProps(props: unknown): string {
  assertJsonSafe(props);
  return JSON.stringify(props).replace(
    UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export interface IslandProps<N extends IslandName> {
  readonly name: N;
  readonly props: ComponentProps<typeof ISLANDS[N]>;
}

/**
 * Server-renders an island inside its marker. The boot script finds the
 * marker by `data-island`, parses `data-props`, and hydrates the same
 * component over the server's HTML.
 */
export function Island<N extends IslandName>({ name, props }: IslandProps<N>): VNode {
  const component = ISLANDS[name];
  return (
    <div class="island" data-island={name} data-props={serializeProps(props)}>
      {h(component as (props: object) => VNode, props as object)}
    </div>
  );
}
