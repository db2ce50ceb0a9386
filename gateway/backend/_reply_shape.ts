import { BackendError } from "./backend.ts";

/**
 * The shapes a backend's reply must have before it is read: anything else
 * is a `failed` call naming the method, never a crash further in.
 */
export function replyRecord(value: unknown, method: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BackendError("failed", `${method}: malformed reply`);
  }
  return value as Record<string, unknown>;
}

export function replyList(value: unknown, method: string): unknown[] {
  if (!Array.isArray(value)) throw new BackendError("failed", `${method}: malformed reply`);
  return value;
}
