import assert from "node:assert/strict";

/**
 * The shape of the house, checked on the source itself: no import circles,
 * and no production module importing test code (`tests/`, `testing/`,
 * `*_test.ts`). Imports are read from the text of every TypeScript file;
 * only relative specifiers (the project's own modules) count.
 */

const ROOT = new URL("../", import.meta.url);
const SKIP_DIRS = new Set(["node_modules", "dist", ".git", "coverage", "test-results"]);
const IMPORT =
  /(?:^|[;\s])(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

async function sourceFiles(dir: URL, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      if (SKIP_DIRS.has(entry.name) || entry.name.startsWith(".")) continue;
      out.push(...await sourceFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (/\.tsx?$/.test(entry.name)) {
      out.push(`${prefix}${entry.name}`);
    }
  }
  return out;
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const parts = from.split("/").slice(0, -1);
  for (const piece of specifier.split("/")) {
    if (piece === "." || piece === "") continue;
    if (piece === "..") parts.pop();
    else parts.push(piece);
  }
  return parts.join("/");
}

async function importGraph(): Promise<Map<string, string[]>> {
  const files = await sourceFiles(ROOT);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, ROOT));
    const targets: string[] = [];
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(file, match[1] ?? match[2] ?? "");
      if (target !== null) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

const isTestCode = (file: string) =>
  file.startsWith("tests/") || file.startsWith("testing/") || /_test\.tsx?$/.test(file);
const isProduction = (file: string) => !isTestCode(file) && !file.startsWith("bench/");

Deno.test("the source has no import circles", async () => {
  const graph = await importGraph();
  assert.ok(graph.size > 100, "the scan found the project's files");
  assert.deepEqual(circles(graph), []);
});

/**
 * The module (folder) a file belongs to: `gateway/<part>` inside the
 * gateway, else the top folder. The gateway's own door (`gateway/mod.ts`)
 * stands apart from the files beside it, which everything may use.
 */
function moduleOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "gateway") {
    if (parts.length > 2) return `gateway/${parts[1]}`;
    return file === "gateway/mod.ts" ? "gateway (door)" : "gateway (root)";
  }
  return parts.length > 1 ? parts[0] as string : file;
}

Deno.test("the modules' production code has no import circles between folders", async () => {
  const graph = await importGraph();
  const modules = new Map<string, string[]>();
  for (const [file, targets] of graph) {
    if (!isProduction(file)) continue;
    const from = moduleOf(file);
    const edges = modules.get(from) ?? [];
    for (const target of targets) {
      const to = moduleOf(target);
      if (to !== from && !edges.includes(to)) edges.push(to);
    }
    modules.set(from, edges);
  }
  assert.deepEqual(circles(modules), []);
});

Deno.test("no production module imports test code", async () => {
  const graph = await importGraph();
  const offences: string[] = [];
  for (const [file, targets] of graph) {
    if (!isProduction(file)) continue;
    for (const target of targets) if (isTestCode(target)) offences.push(`${file} → ${target}`);
  }
  assert.deepEqual(offences, []);
});

Deno.test("the import scan sees circles and test imports when they are there", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", ["a.ts"]],
    ["d.ts", ["testing/x.ts"]],
    ["testing/x.ts", []],
  ]);
  assert.deepEqual(circles(graph), [["a.ts", "b.ts", "c.ts"]]);
  assert.equal(resolve("gateway/node/x.ts", "../bus/mod.ts"), "gateway/bus/mod.ts");
  assert.equal(isProduction("d.ts") && isTestCode("testing/x.ts"), true);
});
