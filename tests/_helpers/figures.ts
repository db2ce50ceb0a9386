/**
 * Writes figures a test measured to `test-results/<name>.json` (git-ignored),
 * so the README's reliability figures can be refreshed from a real run.
 */
export async function recordFigures(name: string, figures: Record<string, unknown>): Promise<void> {
  const dir = new URL("../../test-results/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    new URL(`${name}.json`, dir),
    JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2) + "\n",
  );
}
