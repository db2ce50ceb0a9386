import assert from "node:assert/strict";
import { Hono } from "hono";
import { buildIslands, type IslandAssets, readManifest } from "../build.ts";
import {
  assertJsonSafe,
  CONTENT_SECURITY_POLICY,
  IMMUTABLE,
  mountRoutes,
  serializeProps,
} from "../routes/mod.ts";
import { renderFrontPage } from "../routes/index.tsx";

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
  // The hashed assets, and nothing inline to run.
  assert.match(assets.script, /^\/assets\/boot-[A-Z0-9]{8}\.js$/);
  assert.match(assets.styles, /^\/assets\/styles-[A-Z0-9]{8}\.css$/);
  assert.ok(html.includes(`<script type="module" src="${assets.script}"></script>`));
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
  for (
    const [url, type] of [
      [assets.script, "text/javascript; charset=utf-8"],
      [assets.styles, "text/css; charset=utf-8"],
    ] as const
  ) {
    const response = await app.request(url);
    assert.equal(response.status, 200, url);
    assert.equal(response.headers.get("content-type"), type);
    assert.equal(response.headers.get("cache-control"), IMMUTABLE);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    const etag = response.headers.get("etag");
    assert.ok(etag);
    const body = new Uint8Array(await response.arrayBuffer());
    const name = url.slice(url.lastIndexOf("/") + 1);
    assert.deepEqual(body, await Deno.readFile(`${assets.dir}/${name}`));
    const again = await app.request(url, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    await again.body?.cancel();
  }
  for (const url of ["/assets/boot-AAAAAAAA.js", "/assets/..%2Fmanifest.json", "/assets/"]) {
    const response = await app.request(url);
    assert.equal(response.status, 404, url);
    await response.body?.cancel();
  }
});

Deno.test("buildIslands() - a browser-only bundle, a manifest, no stale files", async () => {
  const { assets, ms } = await built();
  const bundle = await Deno.readTextFile(`${assets.dir}/${assets.script.split("/").pop()}`);
  assert.ok(!/\bDeno\./.test(bundle), "the bundle does not use Deno APIs");
  assert.ok(!/hono/i.test(bundle), "the bundle does not pull in the server framework");
  assert.ok(bundle.length < 250_000, `the bundle stays small (${bundle.length} bytes)`);
  assert.ok(bundle.includes("data-island") || bundle.includes("[data-island]"));
  const css = await Deno.readTextFile(`${assets.dir}/${assets.styles.split("/").pop()}`);
  assert.ok(css.includes(".demo{"), "the stylesheet is minified");
  // Generous: the build takes a few hundred milliseconds, but CI machines are busy.
  assert.ok(ms < 5_000, `built in ${Math.round(ms)} ms`);

  const manifest = await readManifest(outDir);
  assert.deepEqual(manifest, assets);

  // A stale build's files go; the same sources give the same names.
  const stale = `${assets.dir}/boot-STALE000.js`;
  await Deno.writeTextFile(stale, "stale");
  const rebuilt = await buildIslands({ outDir });
  assert.deepEqual(rebuilt, assets);
  await assert.rejects(Deno.stat(stale), Deno.errors.NotFound);
  const names = [];
  for await (const entry of Deno.readDir(assets.dir)) names.push(entry.name);
  assert.equal(names.length, 2);
});
