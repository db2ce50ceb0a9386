import assert from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { encodeAll, etagOf, matchesNoneMatch, negotiate, select } from "./encoding.ts";

const BOTH = ["br", "gzip"] as const;

Deno.test("negotiate() - picks the coding the request weighs highest, brotli on a tie", () => {
  const cases: Array<[string | null, readonly ("br" | "gzip")[], "br" | "gzip" | null]> = [
    ["gzip, deflate, br, zstd", BOTH, "br"],
    ["gzip", BOTH, "gzip"],
    ["GZIP", BOTH, "gzip"],
    ["x-gzip", BOTH, "gzip"],
    ["br;q=0.5, gzip;q=0.8", BOTH, "gzip"],
    ["br;q=0.9, gzip;q=0.8", BOTH, "br"],
    ["br ; q=0", BOTH, null],
    ["*", BOTH, "br"],
    ["*;q=0.5, br;q=0", BOTH, "gzip"],
    ["identity", BOTH, null],
    ["", BOTH, null],
    [null, BOTH, null],
    ["br", ["gzip"], null],
    ["gzip, br", ["gzip"], "gzip"],
    ["br;q=banana, gzip", BOTH, "gzip"],
    ["br;q=2", BOTH, null],
  ];
  for (const [header, available, expected] of cases) {
    assert.equal(negotiate(header, available), expected, String(header));
  }
});

Deno.test("encodeAll() and select() - every coding decodes to the body; tiny bodies stay as they are", () => {
  const body = new TextEncoder().encode("<p>hello, gateway</p>".repeat(200));
  const encodings = encodeAll(body);
  assert.ok(encodings.br && encodings.gzip);
  assert.ok(encodings.br.length < encodings.gzip.length, "brotli is the smaller");
  assert.deepEqual(new Uint8Array(brotliDecompressSync(encodings.br)), body);
  assert.deepEqual(new Uint8Array(gunzipSync(encodings.gzip)), body);
  assert.equal(select(encodings, "gzip, br").coding, "br");
  assert.equal(select(encodings, "gzip").body, encodings.gzip);
  assert.equal(select(encodings, undefined).body, body);

  const tiny = encodeAll(new TextEncoder().encode("{}"));
  assert.equal(tiny.br, undefined);
  assert.equal(tiny.gzip, undefined);
  assert.equal(select(tiny, "br").coding, null);
});

Deno.test("etagOf() and matchesNoneMatch() - one validator per coding, weak comparison", () => {
  assert.equal(etagOf("boot-X.js", null), '"boot-X.js"');
  assert.equal(etagOf("boot-X.js", "br"), '"boot-X.js-br"');
  const etag = etagOf("abc", "gzip");
  assert.ok(matchesNoneMatch(etag, etag));
  assert.ok(matchesNoneMatch(`W/${etag}`, etag));
  assert.ok(matchesNoneMatch(`"other", ${etag}`, etag));
  assert.ok(matchesNoneMatch("*", etag));
  assert.ok(!matchesNoneMatch(etagOf("abc", "br"), etag));
  assert.ok(!matchesNoneMatch(undefined, etag));
});
