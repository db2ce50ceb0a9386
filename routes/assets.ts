import type { Hono } from "hono";

/** What `buildIslands()` produced: public URLs of the boot script and stylesheet. */
export interface IslandAssets {
  /** URL of the hashed boot bundle, e.g. `/assets/boot-4F2K9XQ1.js`. */
  readonly script: string;
  /** URL of the hashed stylesheet, e.g. `/assets/styles-7TQ3M0ZD.css`. */
  readonly styles: string;
  /** Absolute directory holding the files the two URLs name. */
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

function fileNameOf(url: string): string {
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

/**
 * Serves the built assets. Only the files named in `assets` are served, read
 * once at mount time: the set is tiny, and an allow-list cannot be talked into
 * serving anything else from the disk.
 */
export async function mountAssets(app: Hono, assets: IslandAssets): Promise<void> {
  const files = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string; etag: string }>();
  for (const url of [assets.script, assets.styles]) {
    const name = fileNameOf(url);
    const body = await Deno.readFile(`${assets.dir}/${name}`);
    // The name is content-hashed already, so it doubles as a strong validator.
    files.set(name, { body, type: contentTypeOf(name), etag: `"${name}"` });
  }
  app.get(`${ASSET_PREFIX}:name`, (c) => {
    const file = files.get(c.req.param("name"));
    if (file === undefined) return c.text("not found", 404);
    const headers = {
      "content-type": file.type,
      "cache-control": IMMUTABLE,
      "etag": file.etag,
      "x-content-type-options": "nosniff",
    };
    if (c.req.header("if-none-match") === file.etag) return c.body(null, 304, headers);
    return c.body(file.body, 200, headers);
  });
}
