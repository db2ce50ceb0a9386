/** Polls `predicate` until it holds; rejects with `message` after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  options: { timeoutMs?: number; message?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${options.message ?? "condition"}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
