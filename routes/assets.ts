import type { Hono } from "hono";
import type { PageName } from "../boot/pages.ts";
import {
  CODING_SUFFIX,
  CODINGS,
  type Encodings,
  etagOf,
  matchesNoneMatch,
  select,
} from "./encoding.ts";

/** The script a page loads, and the chunks it imports. */
export interface PageScript {
  /** URL of the page's hashed entry, e.g. `/assets/front_page-4F2K9XQ1.js`. */
  readonly src: string;
  /** URLs of the chunks the entry imports, all of them: the page preloads them alongside. */
  readonly preload: readonly string[];
}

/** What `buildIslands()` produced: the public URLs of everything the pages load. */
export interface IslandAssets {
  /** URL of the hashed stylesheet, e.g. `/assets/styles-7TQ3M0ZD.css`. */
  readonly styles: string;
  /** Each page's script. */
  readonly pages: Readonly<Record<PageName, PageScript>>;
  /** Absolute directory holding the files the URLs name (and their `.br` and `.gz` copies). */
  readonly dir: string;
}

/** Where built files are served from. */
export const ASSET_PREFIX = "/assets/";

/** The cache header of a file whose name changes with its content. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** Every URL the build's pages load, each once. */
export function assetUrls(assets: IslandAssets): string[] {
  const urls = new Set([assets.styles]);
  for (const page of Object.values<PageScript>(assets.pages)) {
    urls.add(page.src);
    for (const chunk of page.preload) urls.add(chunk);
  }
  return [...urls];
}

/** The bare file name an asset URL names; throws for anything that could leave the directory. */
export function fileNameOf(url: string): string {
  if (!url.startsWith(ASSET_PREFIX)) {
    throw new TypeError(`asset URL ${url} must start with ${ASSET_PREFIX}`);
  }
  const name = url.slice(ASSET_PREFIX.length);
  // Only bare names: a slash or ".." here would read outside the build directory.
  if (!/^[\w.-]+$/.test(name) || name.includes("..")) {
    throw new TypeError(`asset URL ${url} must name a single file`);
  }
  return name;
}

function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return CONTENT_TYPES[dot < 0 ? "" : name.slice(dot)] ?? "application/octet-stream";
}

async function readIfPresent(path: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** A built file and the compressed copies the build wrote beside it. */
async function readEncodings(path: string): Promise<Encodings> {
  const encodings: { -readonly [K in keyof Encodings]: Encodings[K] } = {
    identity: await Deno.readFile(path),
  };
  for (const coding of CODINGS) {
    const body = await readIfPresent(`${path}${CODING_SUFFIX[coding]}`);
    if (body !== undefined) encodings[coding] = body;
  }
  return encodings;
}

/**
 * Serves the built assets, each in the coding the request accepts best
 * (brotli, gzip, or as is), with `Vary: Accept-Encoding`. Only the files
 * the pages load are served, read once at mount time: the set is tiny, and
 * an allow-list cannot be talked into serving anything else from the disk.
 */
export async function mountAssets(app: Hono, assets: IslandAssets): Promise<void> {
  const files = new Map<string, { encodings: Encodings; type: string }>();
  for (const url of assetUrls(assets)) {
    const name = fileNameOf(url);
    files.set(name, {
      encodings: await readEncodings(`${assets.dir}/${name}`),
      type: contentTypeOf(name),
    });
  }
  app.get(`${ASSET_PREFIX}:name`, (c) => {
    const file = files.get(c.req.param("name"));
    if (file === undefined) return c.text("not found", 404);
    const { body, coding } = select(file.encodings, c.req.header("accept-encoding"));
    // The name is content-hashed already, so it doubles as a strong validator.
    const etag = etagOf(c.req.param("name"), coding);
    const validators = { "cache-control": IMMUTABLE, "etag": etag, "vary": "accept-encoding" };
    if (matchesNoneMatch(c.req.header("if-none-match"), etag)) return c.body(null, 304, validators);
    const headers: Record<string, string> = {
      ...validators,
      "content-type": file.type,
      "x-content-type-options": "nosniff",
    };
    if (coding !== null) headers["content-encoding"] = coding;
    return c.body(body, 200, headers);
  });
}
