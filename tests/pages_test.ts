import assert from "node:assert/strict";
import { Hono } from "hono";
import { buildIslands, type IslandAssets } from "../build.ts";
import { readManifest } from "../routes/asset_manifest.ts";
import {
  assertJsonSafe,
  CONTENT_SECURITY_POLICY,
  IMMUTABLE,
  mountRoutes,
  serializeProps,
} from "../routes/mod.ts";
import { renderFrontPage } from "../routes/index.tsx";
import { assetUrls } from "../routes/assets.ts";
import { decompress } from "./_helpers/decompress.ts";

const HOSTILE = [
  "</script><script>alert(1)</script>",
  "<!-- <script>",
  "-->",
  `"quoted" and 'single' \`back\``,
  "line\u2028separator\u2029paragraph",
  "&amp; &lt; &#x3C; \\u003c",
  "</div><img src=x onerror=alert(1)>",
  "\u0000 \ud800 lone surrogate",
  "🦕 emoji",
];

let outDir: string | undefined;
let building: Promise<{ assets: IslandAssets; ms: number }> | undefined;

/** One build for the whole file, timed. */
function built(): Promise<{ assets: IslandAssets; ms: number }> {
  return building ??= (async () => {
    outDir = await Deno.makeTempDir({ prefix: "architus-pages-" });
    const started = performance.now();
    const assets = await buildIslands({ outDir });
    return { assets, ms: performance.now() - started };
  })();
}

globalThis.addEventListener("unload", () => {
  if (outDir !== undefined) Deno.removeSync(outDir, { recursive: true });
});

async function site(gatewayPath?: string): Promise<Hono> {
  const { assets } = await built();
  const app = new Hono();
  await mountRoutes(app, { assets, gatewayPath });
  return app;
}

/** Decodes the entities an HTML serializer writes into a double-quoted attribute. */
function decodeAttribute(value: string): string {
  return value.replace(
    /&(quot|amp|lt|gt|#39|apos);/g,
    (_, name: string) =>
      ({ quot: '"', amp: "&", lt: "<", gt: ">", "#39": "'", apos: "'" })[name] ?? "",
  );
}

function islandProps(html: string): unknown {
  const match = /data-island="InterpretDemo" data-props="([^"]*)"/.exec(html);
  assert.ok(match, "the island marker carries its props");
  return JSON.parse(decodeAttribute(match[1] ?? ""));
}

Deno.test("serializeProps() - hostile strings stay inert and round-trip", () => {
  const props = { list: HOSTILE, nested: { [HOSTILE[0] as string]: HOSTILE } };
  const json = serializeProps(props);
  for (const forbidden of ["<", ">", "&", "'", "\u2028", "\u2029"]) {
    assert.ok(!json.includes(forbidden), `no raw ${JSON.stringify(forbidden)}`);
  }
  assert.ok(!/<\/script|<!--/i.test(json));
  assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(props)));
});

Deno.test("assertJsonSafe() - refuses what JSON would change", () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const bad: Array<[unknown, RegExp]> = [
    [{ a: undefined }, /props\.a is undefined/],
    [{ f: () => 1 }, /props\.f is function/],
    [{ n: Number.NaN }, /props\.n is NaN/],
    [{ n: Infinity }, /Infinity/],
    [{ d: new Date(0) }, /props\.d is a Date/],
    [{ m: new Map() }, /props\.m is a Map/],
    [{ b: 1n }, /bigint/],
    [{ s: Symbol("x") }, /symbol/],
    [[1, [2, undefined]], /props\[1\]\[1\] is undefined/],
    [circular, /circular/],
  ];
  for (const [value, message] of bad) {
    assert.throws(() => assertJsonSafe(value), message);
    assert.throws(() => serializeProps(value), TypeError);
  }
  const shared = { x: 1 };
  assertJsonSafe({ a: shared, b: shared, c: [null, true, "s", 0, Object.create(null)] });
});

Deno.test("GET / - layout, island marker with props, hashed assets, static preview", async () => {
  const { assets } = await built();
  const response = await (await site()).request("/");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=UTF-8");
  assert.equal(response.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  const html = await response.text();
  assert.ok(html.startsWith('<!DOCTYPE html><html lang="en">'));
  assert.ok(html.includes('<meta name="viewport" content="width=device-width, initial-scale=1"/>'));
  // Layout: header with nav, main, footer.
  assert.match(html, /<header class="site-header">/);
  assert.match(html, /<a href="\/" aria-current="page">Home<\/a>/);
  assert.match(html, /<a href="\/app">Dashboard<\/a>/);
  assert.match(html, /<footer class="site-footer">/);
  // Hero, then the island.
  assert.match(html, /<h1>Your Discord server, <span class="accent">on autopilot<\/span>\.<\/h1>/);
  assert.ok(html.indexOf("<h1>") < html.indexOf("data-island="));
  assert.deepEqual(islandProps(html), { gatewayPath: "/gateway" });
  // The page's own hashed script, its chunks preloaded, and nothing inline to run.
  const script = assets.pages.front_page;
  assert.match(script.src, /^\/assets\/front_page-[A-Z0-9]{8}\.js$/);
  assert.match(assets.styles, /^\/assets\/styles-[A-Z0-9]{8}\.css$/);
  assert.ok(html.includes(`<script type="module" src="${script.src}"></script>`));
  assert.ok(script.preload.length > 0, "the shared code is a chunk of its own");
  for (const chunk of script.preload) {
    assert.match(chunk, /^\/assets\/chunk-[A-Z0-9]{8}\.js$/);
    assert.ok(html.includes(`<link rel="modulepreload" href="${chunk}"/>`));
  }
  assert.ok(!html.includes(assets.pages.dashboard.src), "not the dashboard's script");
  assert.ok(html.includes(`<link rel="stylesheet" href="${assets.styles}"/>`));
  assert.equal(html.match(/<script/g)?.length, 1);
  // Without JavaScript: a note and the first channel's example transcript.
  assert.match(html, /<noscript><p class="nojs-note">The live demo needs JavaScript\./);
  assert.ok(
    html.includes("Welcome to #<!-- -->auto-response-demo<!-- -->!") ||
      html.includes("Welcome to #auto-response-demo!"),
  );
  assert.equal(html.match(/class="message message-sent"/g)?.length, 8);
  assert.ok(html.includes('<span class="md-emoji" title=":wave:">👋</span>'));
  assert.ok(html.includes('data-state="preview"'));
  assert.ok(!html.includes("data-hydrated"), "only the browser marks the island hydrated");
});

Deno.test("GET / - a hostile gateway path cannot break out of the props attribute", async () => {
  for (const gatewayPath of HOSTILE) {
    const html = await (await (await site(gatewayPath)).request("/")).text();
    assert.deepEqual(islandProps(html), { gatewayPath });
    assert.ok(!html.includes("<script>alert"), "no injected script element");
    assert.ok(!html.includes("<img src=x"), "no injected image element");
    assert.equal(html.match(/<script/g)?.length, 1);
  }
});

Deno.test("renderFrontPage() - the page is the same for the same build", async () => {
  const { assets } = await built();
  const options = { assets, gatewayPath: "/gateway" };
  assert.equal(renderFrontPage(options), renderFrontPage(options));
});

Deno.test("assets - hashed files are served immutable with their content types", async () => {
  const { assets } = await built();
  const app = await site();
  const chunk = assets.pages.front_page.preload[0] ?? "";
  for (
    const [url, type] of [
      [assets.pages.front_page.src, "text/javascript; charset=utf-8"],
      [assets.pages.dashboard.src, "text/javascript; charset=utf-8"],
      [chunk, "text/javascript; charset=utf-8"],
      [assets.styles, "text/css; charset=utf-8"],
    ] as const
  ) {
    const response = await app.request(url);
    assert.equal(response.status, 200, url);
    assert.equal(response.headers.get("content-type"), type);
    assert.equal(response.headers.get("cache-control"), IMMUTABLE);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("vary"), "accept-encoding");
    assert.equal(response.headers.get("content-encoding"), null, "no Accept-Encoding: as is");
    const etag = response.headers.get("etag");
    assert.ok(etag);
    const body = new Uint8Array(await response.arrayBuffer());
    const name = url.slice(url.lastIndexOf("/") + 1);
    assert.deepEqual(body, await Deno.readFile(`${assets.dir}/${name}`));
    const again = await app.request(url, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("cache-control"), IMMUTABLE);
    await again.body?.cancel();
  }
  for (const url of ["/assets/boot-AAAAAAAA.js", "/assets/..%2Fmanifest.json", "/assets/"]) {
    const response = await app.request(url);
    assert.equal(response.status, 404, url);
    await response.body?.cancel();
  }
});

Deno.test("assets - each goes out precompressed in the best coding the request accepts", async () => {
  const { assets } = await built();
  const app = await site();
  const url = assets.pages.front_page.src;
  const original = await Deno.readFile(`${assets.dir}/${url.slice(url.lastIndexOf("/") + 1)}`);
  const cases: Array<[string, string | null]> = [
    ["gzip, deflate, br, zstd", "br"],
    ["gzip", "gzip"],
    ["br;q=0.5, gzip", "gzip"],
    ["*", "br"],
    ["br;q=0, *;q=0.1", "gzip"],
    ["identity", null],
    ["deflate", null],
  ];
  const etags = new Set<string>();
  for (const [acceptEncoding, coding] of cases) {
    const response = await app.request(url, { headers: { "accept-encoding": acceptEncoding } });
    assert.equal(response.headers.get("content-encoding"), coding, acceptEncoding);
    assert.equal(response.headers.get("vary"), "accept-encoding");
    assert.equal(response.headers.get("cache-control"), IMMUTABLE);
    const body = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual(await decompress(body, coding), original, acceptEncoding);
    if (coding !== null) assert.ok(body.length < original.length / 2, `${coding} compresses`);
    etags.add(response.headers.get("etag") ?? "");
  }
  assert.equal(etags.size, 3, "each coding has its own entity tag");
});

Deno.test("GET / and /app - pages go out compressed, with a validator", async () => {
  const app = await site();
  for (const path of ["/", "/app"]) {
    const plain = await app.request(path);
    const html = await plain.text();
    const response = await app.request(path, { headers: { "accept-encoding": "gzip, br" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-encoding"), "br");
    assert.equal(response.headers.get("vary"), "accept-encoding");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.equal(response.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
    const body = new Uint8Array(await response.arrayBuffer());
    assert.equal(new TextDecoder().decode(await decompress(body, "br")), html);
    assert.ok(body.length < html.length / 2, `${path}: ${body.length} of ${html.length} bytes`);
    const etag = response.headers.get("etag") ?? "";
    const again = await app.request(path, {
      headers: { "accept-encoding": "gzip, br", "if-none-match": etag },
    });
    assert.equal(again.status, 304);
    await again.body?.cancel();
  }
});

Deno.test("buildIslands() - browser-only bundles, compressed copies, a manifest, no stale files", async () => {
  const { assets, ms } = await built();
  const read = (url: string) => Deno.readTextFile(`${assets.dir}/${url.split("/").pop()}`);
  const scripts = [...new Set(assetUrls(assets).filter((url) => url.endsWith(".js")))];
  const code = (await Promise.all(scripts.map(read))).join("\n");
  assert.ok(!/\bDeno\./.test(code), "the bundles do not use Deno APIs");
  assert.ok(!/hono/i.test(code), "the bundles do not pull in the server framework");
  assert.ok(code.includes("data-island") || code.includes("[data-island]"));
  assert.ok(!code.includes("new Function"), "nothing the pages' CSP would refuse");
  const css = await read(assets.styles);
  assert.ok(css.includes(".demo{"), "the stylesheet is minified");
  // Generous: the build takes well under a second, but CI machines are busy.
  assert.ok(ms < 10_000, `built in ${Math.round(ms)} ms`);

  const manifest = await readManifest(outDir);
  assert.deepEqual(manifest, assets);

  // A stale build's files go; the same sources give the same names.
  const stale = [`${assets.dir}/boot-STALE000.js`, `${assets.dir}/chunk-STALE000.js.br`];
  for (const path of stale) await Deno.writeTextFile(path, "stale");
  const rebuilt = await buildIslands({ outDir });
  assert.deepEqual(rebuilt, assets);
  for (const path of stale) await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  const names = [];
  for await (const entry of Deno.readDir(assets.dir)) names.push(entry.name);
  const served = assetUrls(assets).map((url) => url.slice(url.lastIndexOf("/") + 1));
  assert.deepEqual(
    names.sort(),
    served.flatMap((name) => [name, `${name}.br`, `${name}.gz`]).sort(),
  );
});
