/**
 * The README says what the code does: every environment variable the
 * gateway reads is in its configuration table, and its markdown tables render.
 *
 * @module
 */
import assert from "node:assert/strict";

const README = new URL("../README.md", import.meta.url);
const CONFIG = new URL("../gateway/config.ts", import.meta.url);

Deno.test("the README's configuration table lists every variable the gateway reads", async () => {
  const config = await Deno.readTextFile(CONFIG);
  const schema = config.slice(config.indexOf("const Env = z.object({"));
  const variables = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
  assert.ok(variables.length > 40, `the schema was read (${variables.length})`);
  const readme = await Deno.readTextFile(README);
  const table = readme.slice(
    readme.indexOf("## Configuration"),
    readme.indexOf("## The demo data"),
  );
  const missing = variables.filter((v) => !table.includes(`\`${v}\``));
  assert.deepEqual(missing, [], "variables missing from the README's Configuration table");
});

Deno.test("every table row in the README has its header's number of cells", async () => {
  const lines = (await Deno.readTextFile(README)).split("\n");
  const problems: string[] = [];
  let columns = 0;
  let fenced = false;
  for (const [i, line] of lines.entries()) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    const isRow = line.startsWith("|");
    if (!isRow) {
      columns = 0;
      if (/\|\s*[^|]+\s*\|\s*[^|]+\s*\|$/.test(line)) {
        problems.push(`${i + 1}: a row glued to prose`);
      }
      continue;
    }
    const cells = line.replace(/\\\|/g, "").split("|").length - 2;
    if (columns === 0) columns = cells;
    else if (cells !== columns) problems.push(`${i + 1}: ${cells} cells, header has ${columns}`);
  }
  assert.deepEqual(problems, []);
});
