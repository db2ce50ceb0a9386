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

const patterns = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) patterns.set(pattern, compiled = new RegExp(pattern, "u"));
  return compiled;
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

function at(path: string, key: string | number): string {
  return path === "" ? String(key) : `${path}.${key}`;
}

/**
 * Checks `value` against `schema`; returns the first problem as
 * `"path: message"`, or null when it matches. Unknown keys are allowed
 * (as zod strips them), so a newer server's extra fields never break an
 * older client.
 */
export function checkJson(value: unknown, schema: JsonSchema, path = ""): string | null {
  const where = (message: string) => path === "" ? message : `${path}: ${message}`;
  if (schema.anyOf !== undefined || schema.oneOf !== undefined) {
    const options = schema.anyOf ?? schema.oneOf ?? [];
    let first: string | null = null;
    for (const option of options) {
      const problem = checkJson(value, option, path);
      if (problem === null) {
        first = null;
        break;
      }
      first ??= problem;
    }
    if (first !== null) return options.length === 1 ? first : where("matches none of the forms");
  }
  for (const part of schema.allOf ?? []) {
    const problem = checkJson(value, part, path);
    if (problem !== null) return problem;
  }
  if (schema.type !== undefined) {
    const types = typeof schema.type === "string" ? [schema.type] : schema.type;
    if (!types.some((type) => hasType(value, type))) {
      return where(`expected ${types.join(" or ")}, got ${typeOf(value)}`);
    }
  }
  if (Object.hasOwn(schema, "const") && value !== schema.const) {
    return where(`expected ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    return where(`expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  if (typeof value === "string") return checkString(value, schema, where);
  if (typeof value === "number") return checkNumber(value, schema, where);
  if (Array.isArray(value)) return checkArray(value, schema, path, where);
  if (typeof value === "object" && value !== null) {
    return checkObject(value as Record<string, unknown>, schema, path, where);
  }
  return null;
}

function checkString(
  value: string,
  schema: JsonSchema,
  where: (message: string) => string,
): string | null {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return where(`shorter than ${schema.minLength}`);
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return where(`longer than ${schema.maxLength}`);
  }
  if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
    return where(`does not match ${schema.pattern}`);
  }
  return null;
}

function checkNumber(
  value: number,
  schema: JsonSchema,
  where: (message: string) => string,
): string | null {
  if (schema.minimum !== undefined && value < schema.minimum) {
    return where(`below ${schema.minimum}`);
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    return where(`above ${schema.maximum}`);
  }
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    return where(`not above ${schema.exclusiveMinimum}`);
  }
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
    return where(`not below ${schema.exclusiveMaximum}`);
  }
  return null;
}

function checkArray(
  value: readonly unknown[],
  schema: JsonSchema,
  path: string,
  where: (message: string) => string,
): string | null {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    return where(`fewer than ${schema.minItems} items`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    return where(`more than ${schema.maxItems} items`);
  }
  const tuple = schema.prefixItems ?? [];
  for (let i = 0; i < value.length; i++) {
    const item = i < tuple.length ? tuple[i] : schema.items;
    if (item === undefined) continue;
    const problem = checkJson(value[i], item, at(path, i));
    if (problem !== null) return problem;
  }
  return null;
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  path: string,
  where: (message: string) => string,
): string | null {
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) {
      return where(`${key} is required`);
    }
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
    const problem = checkJson(value[key], property, at(path, key));
    if (problem !== null) return problem;
  }
  return null;
}
