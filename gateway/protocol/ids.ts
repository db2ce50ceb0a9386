// This module is browser-compatible.
import * as z from "./_zod.ts";

/**
 * The text of a canonical id: decimal, no leading zeros (so that one id has
 * one spelling, and ids compare by length then text), at most 20 digits.
 */
export const ID_PATTERN: RegExp = /^(0|[1-9][0-9]{0,19})$/;

/**
 * A Discord snowflake or an Architus hoar frost. Both are 64-bit integers,
 * which JavaScript numbers cannot hold exactly, so they always travel as
 * decimal strings. Requests may still send a safe integer (the archit.us
 * interpret mock does); it is normalised to a string here.
 */
export const Id: z.ZodMiniType<string> = z.pipe(
  z.union([
    z.string().check(
      z.regex(ID_PATTERN, "must be a decimal id of at most 20 digits, without leading zeros"),
    ),
    z.pipe(
      z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER)),
      z.transform((n: number) => String(n)),
    ),
  ]),
  z.string().check(z.refine((s) => BigInt(s) < 1n << 64n, "must fit in 64 bits")),
);

/** An id as servers send it: a canonical decimal string. */
export const IdString: z.ZodMiniString = z.string().check(z.regex(ID_PATTERN));

/** Milliseconds since 2015-01-01T00:00:00Z, the epoch of hoar frosts. */
export const HOAR_FROST_EPOCH_MS = 1_420_070_400_000;

/** Parses a decimal id; returns null when it is not one. */
export function parseId(value: unknown): bigint | null {
  if (typeof value === "string" && ID_PATTERN.test(value)) {
    const n = BigInt(value);
    return n < 1n << 64n ? n : null;
  }
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) {
    return BigInt(value);
  }
  return null;
}

/** Orders two decimal ids numerically (-1, 0, 1). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Parses JSON keeping the exact text of top-level `key` when it is a number:
 * Architus writes 64-bit ids as JSON numbers (the JWT `id` claim, bus
 * bodies), which `JSON.parse` alone would round beyond 2^53. Uses JSON.parse
 * source text access. Throws `SyntaxError` like `JSON.parse`.
 */
export function parseJsonKeepingId(
  text: string,
  key: string,
): { readonly value: unknown; readonly idText: string | undefined } {
  const sources = new Map<object, string>();
  const value = JSON.parse(
    text,
    function (this: object, k: string, v: unknown, context?: { source?: string }) {
      if (k === key && typeof v === "number" && context?.source !== undefined) {
        sources.set(this, context.source);
      }
      return v;
    } as (key: string, value: unknown) => unknown,
  );
  const top = typeof value === "object" && value !== null ? sources.get(value) : undefined;
  if (top !== undefined) return { value, idText: top };
  const raw = typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
  return { value, idText: typeof raw === "string" ? raw : undefined };
}
