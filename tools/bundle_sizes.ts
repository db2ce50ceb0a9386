/**
 * What each page's JavaScript weighs: its entry plus the chunks it imports,
 * as built (raw) and as served (the brotli and gzip copies beside them).
 *
 *     deno run -A tools/bundle_sizes.ts     # builds into a temporary directory
 *
 * @module
 */
import { buildIslands } from "../build.ts";
import type { PageName } from "../boot/pages.ts";
import type { IslandAssets, PageScript } from "../routes/assets.ts";

export interface ScriptSize {
  /** The file names counted. */
  readonly files: readonly string[];
  readonly raw: number;
  readonly br: number;
  readonly gzip: number;
}

async function sizeOf(path: string): Promise<number> {
  return (await Deno.stat(path)).size;
}

/** Each page's script, entry and chunks together. */
export async function pageScriptSizes(
  assets: IslandAssets,
): Promise<Record<PageName, ScriptSize>> {
  const sizes = {} as Record<PageName, ScriptSize>;
  for (const [page, script] of Object.entries(assets.pages) as Array<[PageName, PageScript]>) {
    const files = [script.src, ...script.preload].map((url) => url.slice(url.lastIndexOf("/") + 1));
    let raw = 0, br = 0, gzip = 0;
    for (const file of files) {
      raw += await sizeOf(`${assets.dir}/${file}`);
      br += await sizeOf(`${assets.dir}/${file}.br`);
      gzip += await sizeOf(`${assets.dir}/${file}.gz`);
    }
    sizes[page] = { files, raw, br, gzip };
  }
  return sizes;
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "architus-sizes-" });
  try {
    const sizes = await pageScriptSizes(await buildIslands({ outDir: dir }));
    const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
    const lines = Object.entries(sizes).map(([page, size]) =>
      `${page}: ${kb(size.raw)} raw, ${kb(size.br)} br, ${kb(size.gzip)} gzip (${
        size.files.join(" + ")
      })`
    );
    await Deno.stdout.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
