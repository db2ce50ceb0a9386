// This module is browser-compatible.

/** The part of JSON Schema that `z.toJSONSchema` writes for the protocol. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly prefixItems?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/**
 * The checker runs on every frame the dashboard receives, and its first
 * runs fall in the middle of opening a page: it allocates nothing while a
 * value matches (a path is built only for a problem; a schema's properties
 * are listed once), and its patterns, all ASCII, are compiled once and
 * without the slower `u` mode.
 */
const patterns = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) patterns.set(pattern, compiled = new RegExp(pattern));
  return compiled;
}

const propertyLists = new WeakMap<JsonSchema, ReadonlyArray<readonly [string, JsonSchema]>>();

function propertiesOf(schema: JsonSchema): ReadonlyArray<readonly [string, JsonSchema]> {
  let list = propertyLists.get(schema);
  if (list === undefined) {
    list = Object.entries(schema.properties ?? {});
    propertyLists.set(schema, list);
  }
  return list;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeOf(value) === type;
  }
}

/**
 * What is wrong and where: the keys from the checked value down to the
 * problem, collected innermost first as the check returns, so a value that
 * matches builds no path.
 */
interface Problem {
  readonly message: string;
  readonly keys: (string | number)[];
}

function problem(message: string): Problem {
  return { message, keys: [] };
}

/** The same problem, one level up: `key` is where it sits in its parent. */
function within(key: string | number, found: Problem): Problem {
  found.keys.push(key);
  return found;
}

/**
 * Checks `value` against `schema`; returns the first problem as
 * `"path: message"`, or null when it matches. Unknown keys are allowed
 * (as zod strips them), so a newer server's extra fields never break an
 * older client.
 */
export function checkJson(value: unknown, schema: JsonSchema, path = ""): string | null {
  const found = check(value, schema);
  if (found === null) return null;
  const keys = found.keys.reverse();
  if (path !== "") keys.unshift(path);
  return keys.length === 0 ? found.message : `${keys.join(".")}: ${found.message}`;
}

function check(value: unknown, schema: JsonSchema): Problem | null {
  if (schema.anyOf !== undefined || schema.oneOf !== undefined) {
    const options = schema.anyOf ?? schema.oneOf ?? [];
    let first: Problem | null = null;
    for (const option of options) {
      const found = check(value, option);
      if (found === null) {
        first = null;
        break;
      }
      first ??= found;
    }
    if (first !== null) return options.length === 1 ? first : problem("matches none of the forms");
  }
  if (schema.allOf !== undefined) {
    for (const part of schema.allOf) {
      const found = check(value, part);
      if (found !== null) return found;
    }
  }
  const type = schema.type;
  if (type !== undefined) {
    const matches = typeof type === "string"
      ? hasType(value, type)
      : type.some((one) => hasType(value, one));
    if (!matches) {
      const types = typeof type === "string" ? [type] : type;
      return problem(`expected ${types.join(" or ")}, got ${typeOf(value)}`);
    }
  }
  if (Object.hasOwn(schema, "const") && value !== schema.const) {
    return problem(`expected ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    return problem(`expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  if (typeof value === "string") return checkString(value, schema);
  if (typeof value === "number") return checkNumber(value, schema);
  if (Array.isArray(value)) return checkArray(value, schema);
  if (typeof value === "object" && value !== null) {
    return checkObject(value as Record<string, unknown>, schema);
  }
  return null;
}

function checkString(value: string, schema: JsonSchema): Problem | null {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return problem(`shorter than ${schema.minLength}`);
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return problem(`longer than ${schema.maxLength}`);
  }
  if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
    return problem(`does not match ${schema.pattern}`);
  }
  return null;
}

function checkNumber(value: number, schema: JsonSchema): Problem | null {
  if (schema.minimum !== undefined && value < schema.minimum) {
    return problem(`below ${schema.minimum}`);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    return problem(`above ${schema.maximum}`);
  }
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    return problem(`not above ${schema.exclusiveMinimum}`);
  }
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
    return problem(`not below ${schema.exclusiveMaximum}`);
  }
  return null;
}

function checkArray(value: readonly unknown[], schema: JsonSchema): Problem | null {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    return problem(`fewer than ${schema.minItems} items`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    return problem(`more than ${schema.maxItems} items`);
  }
  const tuple = schema.prefixItems ?? [];
  for (let i = 0; i < value.length; i++) {
    const item = i < tuple.length ? tuple[i] : schema.items;
    if (item === undefined) continue;
    const found = check(value[i], item);
    if (found !== null) return within(i, found);
  }
  return null;
}

function checkObject(value: Record<string, unknown>, schema: JsonSchema): Problem | null {
  if (schema.required !== undefined) {
    for (const key of schema.required) {
      if (!Object.hasOwn(value, key) || value[key] === undefined) {
        return problem(`${key} is required`);
      }
    }
  }
  for (const [key, property] of propertiesOf(schema)) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
    const found = check(value[key], property);
    if (found !== null) return within(key, found);
  }
  return null;
}
