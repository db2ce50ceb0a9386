// This module is browser-compatible.
import {
  CloseCode,
  GUILD_POOL_TYPES,
  HOAR_FROST_EPOCH_MS,
  LogEventType,
  POOL_TYPE_ALIASES,
  POOL_TYPES,
} from "./values.ts";
import type { PoolType } from "./types.ts";

/**
 * The protocol's small functions, for the client package, which carries no
 * code of `gateway/protocol/`. `helpers_test.ts` checks each against the
 * gateway's own over many inputs, so the two cannot drift apart.
 */

/** Orders two decimal ids numerically (-1, 0, 1). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when a client should reconnect after this close code (4500–4999 are terminal). */
export function shouldReconnect(code: number): boolean {
  return !(code >= 4500 && code <= 4999);
}

/** True for pools scoped to one guild (their requests need `guild_id`). */
export function isGuildPool(type: PoolType): boolean {
  return (GUILD_POOL_TYPES as readonly string[]).includes(type);
}

/** The canonical pool name for a name or an older alias, or undefined for an unknown one. */
export function canonicalPoolType(name: string): PoolType | undefined {
  if ((POOL_TYPES as readonly string[]).includes(name)) return name as PoolType;
  return Object.hasOwn(POOL_TYPE_ALIASES, name)
    ? POOL_TYPE_ALIASES[name as keyof typeof POOL_TYPE_ALIASES]
    : undefined;
}

/** True when every bit of `needed` is set in `held`. */
export function hasPermission(held: number, needed: number): boolean {
  return (held & needed) === needed;
}

/** The creation time, in ms since the Unix epoch, of a hoar frost or snowflake. */
export function hoarFrostTime(id: string): number {
  return Number(BigInt(id) >> 22n) + HOAR_FROST_EPOCH_MS;
}

/** The name of a close code the gateway documents, or undefined. */
export function closeCodeName(code: number): keyof typeof CloseCode | undefined {
  for (const [name, value] of Object.entries(CloseCode)) {
    if (value === code) return name as keyof typeof CloseCode;
  }
  return undefined;
}

const LOG_TYPE_NAMES = new Map<number, keyof typeof LogEventType>(
  Object.entries(LogEventType).map(([name, value]) => [value, name as keyof typeof LogEventType]),
);

/** The name of a log event type (`2003` → `"MessageSend"`), or undefined for one not named. */
export function logEventTypeName(type: number): keyof typeof LogEventType | undefined {
  return LOG_TYPE_NAMES.get(type);
}
