/**
 * Memory of this process after a full garbage collection (when the process
 * runs with `--v8-flags=--expose-gc`), in bytes.
 *
 * @module
 */
export async function gcAndMeasure(): Promise<Deno.MemoryUsage & { gc: boolean }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
    gc();
  }
  return { ...Deno.memoryUsage(), gc: gc !== undefined };
}
