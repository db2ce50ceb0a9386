import { PAGE_ENTRIES, type PageName } from "../boot/pages.ts";
import type { IslandAssets, PageScript } from "./assets.ts";

/** The repository root, without a trailing slash. */
export const REPO_ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(
  /\/$/,
  "",
);
const PAGES = Object.keys(PAGE_ENTRIES) as PageName[];

/** A build directory: relative to the repository root unless absolute. */
export function buildDirectory(path: string): string {
  return path.startsWith("/") ? path : `${REPO_ROOT}/${path}`;
}

function isPageScript(value: unknown): value is PageScript {
  const page = value as Partial<PageScript> | null;
  return typeof page?.src === "string" && Array.isArray(page.preload) &&
    page.preload.every((url) => typeof url === "string");
}

/** Why the built assets cannot be served: what an operator must do about it. */
export class MissingBuildError extends Error {
  constructor(dir: string, cause: string) {
    super(
      `no usable build in ${dir} (${cause}): run \`deno task build\` before a production start`,
    );
    this.name = "MissingBuildError";
  }
}

/**
 * Reads the manifest `build.ts` wrote, for serving without building: a
 * production start only reads (read-only filesystems, several nodes in one
 * directory). Checks that every file it names is there.
 */
export async function readManifest(outDir = "dist"): Promise<IslandAssets> {
  const dir = buildDirectory(outDir);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  } catch (error) {
    throw new MissingBuildError(
      dir,
      error instanceof Deno.errors.NotFound ? "no manifest.json" : String(error),
    );
  }
  const { styles, pages } = (parsed ?? {}) as { styles?: unknown; pages?: Record<string, unknown> };
  if (typeof styles !== "string" || !PAGES.every((page) => isPageScript(pages?.[page]))) {
    throw new MissingBuildError(
      dir,
      "manifest.json does not name a stylesheet and every page's script",
    );
  }
  const scripts = {} as Record<PageName, PageScript>;
  for (const page of PAGES) {
    const { src, preload } = pages?.[page] as PageScript;
    scripts[page] = { src, preload };
  }
  const assets = { styles, pages: scripts, dir: `${dir}/assets` };
  for (const url of [styles, ...PAGES.flatMap((p) => [scripts[p].src, ...scripts[p].preload])]) {
    const file = `${assets.dir}/${url.slice(url.lastIndexOf("/") + 1)}`;
    try {
      await Deno.stat(file);
    } catch {
      throw new MissingBuildError(dir, `${file} is missing`);
    }
  }
  return assets;
}
