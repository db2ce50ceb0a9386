/**
 * Builds the browser side: one esbuild pass bundles each page's entry (its
 * islands only, shared code split into chunks) and the stylesheet under
 * content-hashed names, writes a brotli and a gzip copy of each, and a
 * manifest naming them.
 *
 *     deno run -A build.ts            # into dist/
 *
 * @module
 */
import * as esbuild from "esbuild";
import { PAGE_ENTRIES, type PageName } from "./boot/pages.ts";
import { ASSET_PREFIX, type IslandAssets, type PageScript } from "./routes/assets.ts";
import { CODING_SUFFIX, CODINGS, compress } from "./routes/encoding.ts";
import { buildDirectory, REPO_ROOT } from "./routes/asset_manifest.ts";

export type { IslandAssets, PageScript } from "./routes/assets.ts";

export interface BuildOptions {
  /** Output directory, relative to the repository root unless absolute. Default `dist`. */
  readonly outDir?: string;
}

const STYLES = "static/styles.css";
const PAGES = Object.keys(PAGE_ENTRIES) as PageName[];
/** Names this build writes; anything else matching is a stale build and is removed. */
const HASHED = new RegExp(
  // `boot`: the one script of builds before pages had their own.
  `^(${[...PAGES, "chunk", "styles", "boot"].join("|")})-[A-Z0-9]+\\.(js|css)(\\.br|\\.gz)?$`,
);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Runs esbuild once over every page entry and the stylesheet; writes nothing. */
async function bundle(
  assetDir: string,
): Promise<esbuild.BuildResult<{ metafile: true; write: false }>> {
  try {
    return await esbuild.build({
      absWorkingDir: REPO_ROOT,
      entryPoints: { ...PAGE_ENTRIES, styles: STYLES },
      outdir: assetDir,
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome100", "firefox100", "safari15"],
      jsx: "automatic",
      jsxImportSource: "preact",
      minify: true,
      metafile: true,
      write: false,
      logLevel: "silent",
    });
  } finally {
    // A child process left running would fail `deno test`'s sanitizers.
    await esbuild.stop();
  }
}

/** Every chunk `output` imports statically, directly or through other chunks. */
function staticImports(metafile: esbuild.Metafile, output: string): string[] {
  const found = new Set<string>();
  const visit = (path: string) => {
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind !== "import-statement" || found.has(imported.path)) continue;
      found.add(imported.path);
      visit(imported.path);
    }
  };
  visit(output);
  return [...found].sort();
}

/** The manifest's view of the build: which output each page and the stylesheet is. */
function describe(metafile: esbuild.Metafile): Omit<IslandAssets, "dir"> {
  const url = (path: string) => `${ASSET_PREFIX}${baseName(path)}`;
  const entries = new Map<string, string>();
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (meta.entryPoint !== undefined) entries.set(meta.entryPoint, output);
  }
  const styles = entries.get(STYLES);
  if (styles === undefined) throw new Error(`esbuild did not produce ${STYLES}`);
  const pages = {} as Record<PageName, PageScript>;
  for (const page of PAGES) {
    const output = entries.get(PAGE_ENTRIES[page]);
    if (output === undefined) throw new Error(`esbuild did not produce ${PAGE_ENTRIES[page]}`);
    pages[page] = { src: url(output), preload: staticImports(metafile, output).map(url) };
  }
  return { styles: url(styles), pages };
}

/**
 * Bundles the pages' entries (`boot/pages.ts`) and `static/styles.css` into
 * `<outDir>/assets/`, each file beside its `.br` and `.gz` copies, removes
 * what earlier builds left there, and writes `<outDir>/manifest.json`.
 * Serving needs only what this writes (see `routes/asset_manifest.ts`).
 */
export async function buildIslands(options: BuildOptions = {}): Promise<IslandAssets> {
  const outDir = buildDirectory(options.outDir ?? "dist");
  const assetDir = `${outDir}/assets`;
  const result = await bundle(assetDir);
  const described = describe(result.metafile);
  await Deno.mkdir(assetDir, { recursive: true });
  const written = new Set<string>();
  for (const file of result.outputFiles) {
    const name = baseName(file.path);
    await Deno.writeFile(`${assetDir}/${name}`, file.contents);
    written.add(name);
    for (const coding of CODINGS) {
      await Deno.writeFile(
        `${assetDir}/${name}${CODING_SUFFIX[coding]}`,
        compress(file.contents, coding),
      );
      written.add(`${name}${CODING_SUFFIX[coding]}`);
    }
  }
  for await (const entry of Deno.readDir(assetDir)) {
    if (entry.isFile && HASHED.test(entry.name) && !written.has(entry.name)) {
      await Deno.remove(`${assetDir}/${entry.name}`);
    }
  }
  await Deno.writeTextFile(`${outDir}/manifest.json`, JSON.stringify(described, null, 2) + "\n");
  return { ...described, dir: assetDir };
}

if (import.meta.main) {
  const started = performance.now();
  const assets = await buildIslands();
  const ms = Math.round(performance.now() - started);
  const scripts = Object.values<PageScript>(assets.pages).map((page) => page.src).join(", ");
  const line = `built ${scripts} and ${assets.styles} in ${ms} ms\n`;
  await Deno.stdout.write(new TextEncoder().encode(line));
}
