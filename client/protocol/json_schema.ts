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
 * value matches (paths are built only for a problem; a schema's properties
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

/** Where a value sits: built into a string only when there is a problem to report. */
interface Path {
  readonly parent: Path | null;
  readonly key: string | number;
}

function pathText(path: Path | null): string {
  if (path === null) return "";
  const parent = pathText(path.parent);
  return parent === "" ? String(path.key) : `${parent}.${path.key}`;
}

function problemAt(path: Path | null, message: string): string {
  const text = pathText(path);
  return text === "" ? message : `${text}: ${message}`;
}

/**
 * Checks `value` against `schema`; returns the first problem as
 * `"path: message"`, or null when it matches. Unknown keys are allowed
 * (as zod strips them), so a newer server's extra fields never break an
 * older client.
 */
export function checkJson(value: unknown, schema: JsonSchema, path = ""): string | null {
  return check(value, schema, path === "" ? null : { parent: null, key: path });
}

function check(value: unknown, schema: JsonSchema, path: Path | null): string | null {
  if (schema.anyOf !== undefined || schema.oneOf !== undefined) {
    const options = schema.anyOf ?? schema.oneOf ?? [];
    let first: string | null = null;
    for (const option of options) {
      const problem = check(value, option, path);
      if (problem === null) {
        first = null;
        break;
      }
      first ??= problem;
    }
    if (first !== null) {
      return options.length === 1 ? first : problemAt(path, "matches none of the forms");
    }
  }
  if (schema.allOf !== undefined) {
    for (const part of schema.allOf) {
      const problem = check(value, part, path);
      if (problem !== null) return problem;
    }
  }
  const type = schema.type;
  if (type !== undefined) {
    const matches = typeof type === "string"
      ? hasType(value, type)
      : type.some((one) => hasType(value, one));
    if (!matches) {
      const types = typeof type === "string" ? [type] : type;
      return problemAt(path, `expected ${types.join(" or ")}, got ${typeOf(value)}`);
    }
  }
  if (schema.const !== undefined || Object.hasOwn(schema, "const")) {
    if (value !== schema.const) return problemAt(path, `expected ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    return problemAt(
      path,
      `expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`,
    );
  }
  if (typeof value === "string") return checkString(value, schema, path);
  if (typeof value === "number") return checkNumber(value, schema, path);
  if (Array.isArray(value)) return checkArray(value, schema, path);
  if (typeof value === "object" && value !== null) {
    return checkObject(value as Record<string, unknown>, schema, path);
  }
  return null;
}

function checkString(value: string, schema: JsonSchema, path: Path | null): string | null {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return problemAt(path, `shorter than ${schema.minLength}`);
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return problemAt(path, `longer than ${schema.maxLength}`);
  }
  if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
    return problemAt(path, `does not match ${schema.pattern}`);
  }
  return null;
}

function checkNumber(value: number, schema: JsonSchema, path: Path | null): string | null {
  if (schema.minimum !== undefined && value < schema.minimum) {
    return problemAt(path, `below ${schema.minimum}`);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    return problemAt(path, `above ${schema.maximum}`);
  }
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    return problemAt(path, `not above ${schema.exclusiveMinimum}`);
  }
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
    return problemAt(path, `not below ${schema.exclusiveMaximum}`);
  }
  return null;
}

function checkArray(
  value: readonly unknown[],
  schema: JsonSchema,
  path: Path | null,
): string | null {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    return problemAt(path, `fewer than ${schema.minItems} items`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    return problemAt(path, `more than ${schema.maxItems} items`);
  }
  const tuple = schema.prefixItems;
  const tupleLength = tuple?.length ?? 0;
  for (let i = 0; i < value.length; i++) {
    const item = i < tupleLength ? tuple![i] : schema.items;
    if (item === undefined) continue;
    // An empty schema (`{}`: anything) needs no look at the item.
    if (item.type === undefined && propertiesOf(item).length === 0 && isOpen(item)) continue;
    const problem = check(value[i], item, null);
    if (problem !== null) return withParent({ parent: path, key: i }, problem, value[i], item);
  }
  return null;
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  path: Path | null,
): string | null {
  if (schema.required !== undefined) {
    for (const key of schema.required) {
      if (!Object.hasOwn(value, key) || value[key] === undefined) {
        return problemAt(path, `${key} is required`);
      }
    }
  }
  for (const [key, property] of propertiesOf(schema)) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
    const problem = check(value[key], property, null);
    if (problem !== null) return withParent({ parent: path, key }, problem, value[key], property);
  }
  return null;
}

/** Checks a value found wrong again, this time with its path, to report where it sits. */
function withParent(path: Path, _problem: string, value: unknown, schema: JsonSchema): string {
  return check(value, schema, path) ?? problemAt(path, _problem);
}

/** True when a schema says nothing about a value (`{}`). */
function isOpen(schema: JsonSchema): boolean {
  for (const _ in schema) return false;
  return true;
}
