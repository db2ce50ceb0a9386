/**
 * Builds the browser side: one esbuild pass bundles the island boot script
 * and the stylesheet under content-hashed names, and writes a manifest.
 *
 *     deno run -A build.ts            # into dist/
 *
 * @module
 */
import * as esbuild from "esbuild";
import { z as zod } from "zod";
import { ASSET_PREFIX, type IslandAssets } from "./routes/assets.ts";

export type { IslandAssets } from "./routes/assets.ts";

export interface BuildOptions {
  /** Output directory, relative to the repository root unless absolute. Default `dist`. */
  readonly outDir?: string;
}

const ROOT = decodeURIComponent(new URL(".", import.meta.url).pathname).replace(/\/$/, "");
const ENTRIES = { boot: "boot/boot.ts", styles: "static/styles.css" } as const;
/** Names this build writes; anything else matching is a stale build and is removed. */
const HASHED = /^(boot|styles)-[A-Z0-9]+\.(js|css)$/;

/** The browser-side trees that may use zod. */
const ZOD_USERS = ["gateway/protocol", "client", "islands", "components", "lib"];

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${ROOT}/${path}`;
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

/** Marks the plugin's own lookup of the real zod, so it is not redirected again. */
const REAL = Symbol("real zod");

/**
 * esbuild cannot tree-shake zod's `z` namespace object (`import { z } from
 * "zod"`): it keeps all of zod, every locale included, about 450 kB. This
 * plugin hands our code a plain `z` object holding just the members it
 * names, found by scanning the browser-side sources for `z.<name>`, so the
 * rest of zod shakes away. Other named imports pass through unchanged.
 */
function slimZod(): esbuild.Plugin {
  return {
    name: "slim-zod",
    setup(build) {
      build.onResolve({ filter: /^zod$/ }, async (args) => {
        // zod's own files, other packages, and the resolution below keep the real module.
        if (args.pluginData === REAL || args.importer.includes("/node_modules/")) return undefined;
        if (args.namespace === "slim-zod") {
          // The shim itself imports the real zod.
          const real = await build.resolve("zod", {
            kind: args.kind,
            resolveDir: ROOT,
            pluginData: REAL,
          });
          return { path: real.path, namespace: real.namespace };
        }
        return { path: "zod-slim", namespace: "slim-zod" };
      });
      build.onLoad({ filter: /^zod-slim$/, namespace: "slim-zod" }, async () => {
        const used = new Set<string>();
        for (const dir of ZOD_USERS) {
          for await (const file of sourceFiles(`${ROOT}/${dir}`)) {
            const text = await Deno.readTextFile(file);
            for (const match of text.matchAll(/\bz\.([A-Za-z_$][\w$]*)/g)) {
              const name = match[1] as string;
              // Type-only members (`z.infer`) have no value to import.
              if (Object.hasOwn(zod, name)) used.add(name);
            }
          }
        }
        const names = [...used].sort();
        // Aliased: some members (`enum`) are reserved words as bindings.
        const contents = [
          `import { ${names.map((name, i) => `${name} as m${i}`).join(", ")} } from "zod";`,
          `export * from "zod";`,
          `export const z = { ${names.map((name, i) => `${JSON.stringify(name)}: m${i}`)} };`,
        ].join("\n");
        return { contents, loader: "js", resolveDir: ROOT };
      });
    },
  };
}

/**
 * Bundles `boot/boot.ts` and `static/styles.css` into `<outDir>/assets/`
 * and writes `<outDir>/manifest.json`. Stops esbuild's service afterwards:
 * a child process left running would fail `deno test`'s sanitizers.
 */
export async function buildIslands(options: BuildOptions = {}): Promise<IslandAssets> {
  const outDir = absolute(options.outDir ?? "dist");
  const assetDir = `${outDir}/assets`;
  let result: esbuild.BuildResult<{ metafile: true }>;
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outdir: assetDir,
      entryNames: "[name]-[hash]",
      bundle: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome100", "firefox100", "safari15"],
      jsx: "automatic",
      jsxImportSource: "preact",
      minify: true,
      metafile: true,
      write: true,
      logLevel: "silent",
      plugins: [slimZod()],
    });
  } finally {
    await esbuild.stop();
  }
  const built: Partial<Record<keyof typeof ENTRIES, string>> = {};
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    const entry = (Object.keys(ENTRIES) as (keyof typeof ENTRIES)[])
      .find((name) => meta.entryPoint === ENTRIES[name]);
    if (entry !== undefined) built[entry] = output.slice(output.lastIndexOf("/") + 1);
  }
  if (built.boot === undefined || built.styles === undefined) {
    throw new Error(`esbuild did not produce both entries: ${JSON.stringify(built)}`);
  }
  const keep = new Set([built.boot, built.styles]);
  for await (const entry of Deno.readDir(assetDir)) {
    if (entry.isFile && HASHED.test(entry.name) && !keep.has(entry.name)) {
      await Deno.remove(`${assetDir}/${entry.name}`);
    }
  }
  const assets: IslandAssets = {
    script: `${ASSET_PREFIX}${built.boot}`,
    styles: `${ASSET_PREFIX}${built.styles}`,
    dir: assetDir,
  };
  const manifest = { script: assets.script, styles: assets.styles };
  await Deno.writeTextFile(`${outDir}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
  return assets;
}

/** Reads the manifest of an earlier build, for serving without rebuilding. */
export async function readManifest(outDir = "dist"): Promise<IslandAssets> {
  const dir = absolute(outDir);
  const parsed: unknown = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  const { script, styles } = parsed as { script?: unknown; styles?: unknown };
  if (typeof script !== "string" || typeof styles !== "string") {
    throw new Error(`${dir}/manifest.json does not name a script and a stylesheet`);
  }
  return { script, styles, dir: `${dir}/assets` };
}

if (import.meta.main) {
  const started = performance.now();
  const assets = await buildIslands();
  const ms = Math.round(performance.now() - started);
  const line = `built ${assets.script} and ${assets.styles} in ${ms} ms\n`;
  await Deno.stdout.write(new TextEncoder().encode(line));
}
