/**
 * Compression over a real socket: what a node with the pages mounted puts
 * on the wire for a browser's Accept-Encoding, and that the routes it had
 * before (the WebSocket endpoint, the probes) are unchanged; metrics are gzipped.
 *
 * @module
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { buildIslands, type IslandAssets } from "../build.ts";
import { mountRoutes } from "../routes/mod.ts";
import { decompress } from "./_helpers/decompress.ts";
import { startTestNode, type TestNode } from "./_helpers/node.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const BROWSER = "gzip, deflate, br, zstd";

let outDir: string | undefined;
let building: Promise<IslandAssets> | undefined;

function built(): Promise<IslandAssets> {
  return building ??= (async () => {
    outDir = await Deno.makeTempDir({ prefix: "architus-compression-" });
    return await buildIslands({ outDir });
  })();
}

globalThis.addEventListener("unload", () => {
  if (outDir !== undefined) Deno.removeSync(outDir, { recursive: true });
});

async function withNode(fn: (node: TestNode, assets: IslandAssets) => Promise<void>) {
  const assets = await built();
  const node = await startTestNode({ LOG_LEVEL: "warn" }, {
    mount: (app, gateway) => mountRoutes(app, { assets, config: gateway.config }),
  });
  try {
    await fn(node, assets);
  } finally {
    await node.shutdown(200);
  }
}

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/**
 * One HTTP/1.1 GET over a plain socket, body as sent: `fetch` would undo
 * the content coding and hide what crossed the wire.
 */
async function rawGet(node: TestNode, path: string, acceptEncoding: string): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: node.url.hostname, port: Number(node.url.port) });
  try {
    const request = `GET ${path} HTTP/1.1\r\nHost: ${node.url.host}\r\n` +
      `Accept-Encoding: ${acceptEncoding}\r\nConnection: close\r\n\r\n`;
    await conn.write(new TextEncoder().encode(request));
    const chunks: Uint8Array[] = [];
    for await (const chunk of conn.readable) chunks.push(chunk);
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    const end = new TextDecoder().decode(all).indexOf("\r\n\r\n");
    const [statusLine = "", ...lines] = new TextDecoder().decode(all.slice(0, end)).split("\r\n");
    const headers = new Headers();
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    assert.equal(headers.get("transfer-encoding"), null, `${path} has a length, not chunks`);
    return { status: Number(statusLine.split(" ")[1]), headers, body: all.slice(end + 4) };
  } finally {
    try {
      conn.close();
    } catch {
      // Already closed by the server after the response (Connection: close).
    }
  }
}

Deno.test("compression - pages and assets cross the wire precompressed, with Vary", async () => {
  await withNode(async (node, assets) => {
    const plainPage = await (await fetch(new URL("/", node.url), {
      headers: { "accept-encoding": "identity" },
    })).text();
    const targets = [
      ["/", "text/html; charset=UTF-8"],
      [assets.pages.front_page.src, "text/javascript; charset=utf-8"],
      [assets.pages.dashboard.preload[0] ?? "", "text/javascript; charset=utf-8"],
      [assets.styles, "text/css; charset=utf-8"],
    ] as const;
    for (const [path, type] of targets) {
      for (const [acceptEncoding, coding] of [[BROWSER, "br"], ["gzip", "gzip"]] as const) {
        const response = await rawGet(node, path, acceptEncoding);
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get("content-type"), type, path);
        assert.equal(response.headers.get("content-encoding"), coding, `${path} ${acceptEncoding}`);
        assert.equal(response.headers.get("vary"), "accept-encoding", path);
        assert.equal(Number(response.headers.get("content-length")), response.body.length);
        const decoded = decompress(response.body, coding);
        assert.ok(response.body.length < decoded.length * 0.5, `${path}: ${coding} halves it`);
        if (path === "/") assert.equal(new TextDecoder().decode(decoded), plainPage);
      }
    }
  });
});

Deno.test("compression - the WebSocket and the probes are as before; metrics are gzipped", async () => {
  await withNode(async (node) => {
    const url = new URL("/gateway", node.url);
    url.protocol = "ws:";
    const ws = await WsClient.connect(url.href, { "accept-encoding": BROWSER });
    try {
      const answer = await ws.ask({ _event: "session", _seq: 1 });
      assert.equal(answer._event, "session_return");
    } finally {
      await ws.close();
    }
    const health = await rawGet(node, "/healthz", BROWSER);
    assert.equal(health.status, 200);
    assert.equal(health.headers.get("content-encoding"), null, "/healthz goes as it is");
    // The metrics text is gzipped for a client that accepts it (Prometheus does), with Vary.
    const zipped = await rawGet(node, "/metrics", BROWSER);
    assert.equal(zipped.headers.get("content-encoding"), "gzip");
    assert.equal(zipped.headers.get("vary"), "accept-encoding");
    assert.match(gunzipSync(zipped.body).toString(), /^# HELP /m);
    const plain = await rawGet(node, "/metrics", "identity");
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.match(new TextDecoder().decode(plain.body), /^# HELP /m);
  });
});
