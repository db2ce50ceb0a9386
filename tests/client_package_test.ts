/**
 * The client as a frontend developer gets it: `@architus/gateway-client`
 * built (`client/build/build_package.ts`), packed with `npm pack`,
 * installed from the tarball into a fresh Node project (offline: it has no
 * dependencies) and into a browser bundle, and talking to a real node from
 * each. Its declarations type-check a consumer's code on their own.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import ts from "typescript";
import { chromium } from "playwright-core";
import { buildClientPackage, packClientPackage } from "../client/build/build_package.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { dataset, startTestNode, type TestNode, tokenFor, wsUrl } from "./_helpers/node.ts";
import { recordFigures } from "./_helpers/figures.ts";

const DEMO = DEMO_GUILD_IDS.architusDemo;
const MEMBER = dataset().demoUsers.member.id;
const PACKAGE = "@architus/gateway-client";

async function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    env: { npm_config_update_notifier: "false", npm_config_fund: "false", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}${text}`);
  }
  return text;
}

/** Builds, packs and installs the package into a fresh project; the project's folder. */
async function installedProject(work: string): Promise<{ project: string; tarball: string }> {
  const build = await buildClientPackage(`${work}/build`);
  const tarball = await packClientPackage(build, work);
  const project = `${work}/app`;
  await Deno.mkdir(project);
  await Deno.writeTextFile(
    `${project}/package.json`,
    JSON.stringify({ name: "dashboard-script", private: true, type: "module" }),
  );
  await run("npm", ["install", "--offline", "--no-audit", tarball], project);
  return { project, tarball };
}

const NODE_APP = `
import { GatewayClient, GatewayRequestError, LogEventType, logEventTypeName } from "${PACKAGE}";
const client = new GatewayClient({ url: process.env.GATEWAY_URL, token: () => process.env.TOKEN });
client.connect();
await client.ready();
const spectated = await client.spectate(process.env.GUILD, { includeLogs: true });
const members = await client.request("pool_all_request", { type: "member", guild_id: process.env.GUILD });
const refused = await client.spectate("1").catch((error) => error);
console.log(JSON.stringify({
  elevated: client.elevated,
  tier: spectated.tier,
  members: members.data.length,
  refused: refused instanceof GatewayRequestError ? refused.error : String(refused),
  still: client.spectating?.guildId,
  name: logEventTypeName(LogEventType.MessageSend),
}));
await client.close();
`;

const CONSUMER_TS = `
import {
  GatewayClient,
  type GatewayDispatch,
  gatewayRequest,
  type Member,
  PoolCache,
  type SubscribedEvent,
} from "${PACKAGE}";
export async function members(client: GatewayClient): Promise<Member[]> {
  const answer = await client.request("pool_all_request", { type: "member", guild_id: "1" });
  const first: Member | undefined = answer.data[0];
  void first;
  return new PoolCache({ client }).search("1", "al", { limit: 5 });
}
export function onResume(client: GatewayClient): () => void {
  return client.on("subscribed", (event: SubscribedEvent) => void event.recovered);
}
export async function viaRedux(dispatch: GatewayDispatch): Promise<string | undefined> {
  const outcome = await dispatch(gatewayRequest("session", {}));
  return outcome.type === "gateway/request/failure" ? outcome.payload.error : undefined;
}
`;

function typeCheck(project: string): string[] {
  const file = `${project}/consumer.ts`;
  Deno.writeTextFileSync(file, CONSUMER_TS);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, "\n")
  );
}

async function nodeFlags(): Promise<string[]> {
  const probe = await new Deno.Command("node", {
    args: ["-e", "process.exit(typeof WebSocket === 'function' ? 0 : 1)"],
  }).output();
  // Node 20 has WebSocket behind a flag; 22 and later have it on.
  return probe.success ? [] : ["--experimental-websocket"];
}

Deno.test("the client package installs from its tarball and talks to a real node from Node and a browser", async () => {
  const work = await Deno.makeTempDir({ prefix: "architus-client-package-" });
  let node: TestNode | undefined;
  try {
    const { project, tarball } = await installedProject(work);

    // What the tarball holds: the package and nothing else, no dependencies.
    const listing = (await run("tar", ["-tzf", tarball], work)).trim().split("\n");
    assert.ok(listing.every((path) => path.startsWith("package/") && !path.includes("..")));
    assert.ok(listing.includes("package/dist/mod.js"));
    assert.ok(listing.includes("package/dist/mod.d.ts"));
    assert.ok(listing.every((p) => /^package\/(package\.json|README\.md|dist\/)/.test(p)));
    const installed = `${project}/node_modules/${PACKAGE}`;
    const manifest = JSON.parse(await Deno.readTextFile(`${installed}/package.json`));
    assert.equal(manifest.dependencies, undefined, "no dependencies");
    const js = await Deno.readTextFile(`${installed}/dist/mod.js`);
    assert.ok(!/from\s*["'](zod|\.\.\/)/.test(js), "no zod, no path outside the package");
    assert.deepEqual(typeCheck(project), [], "the declarations type-check a consumer");

    node = await startTestNode({ LOG_LEVEL: "warn" }, {
      mount: (app) => {
        app.get("/package-test/", (c) =>
          c.html(
            `<!doctype html><title>package</title><script type="module" src="/package-test/app.js"></script>`,
          ));
        app.get("/package-test/app.js", async (c) => {
          const code = await Deno.readTextFile(`${project}/bundle.js`);
          return c.body(code, 200, { "content-type": "text/javascript" });
        });
      },
    });
    const token = await tokenFor(MEMBER);

    // Node.
    await Deno.writeTextFile(`${project}/app.mjs`, NODE_APP);
    const output = await run("node", [...await nodeFlags(), "app.mjs"], project, {
      GATEWAY_URL: wsUrl(node),
      TOKEN: token,
      GUILD: DEMO,
    });
    const fromNode = JSON.parse(output.trim().split("\n").at(-1)!);
    assert.deepEqual(fromNode, {
      elevated: true,
      tier: "member",
      members: dataset().guild(DEMO)!.members.length,
      refused: fromNode.refused,
      still: DEMO,
      name: "MessageSend",
    });
    assert.ok(["not_found", "not_a_member"].includes(fromNode.refused));

    // A browser bundle, as a frontend's bundler makes it.
    await Deno.writeTextFile(
      `${project}/browser.js`,
      `import { GatewayClient } from "${PACKAGE}";
       const token = new URLSearchParams(location.search).get("token");
       const client = new GatewayClient({ url: "/gateway", token });
       client.connect();
       await client.ready();
       const answer = await client.request("pool_request", { type: "user", ids: ["${MEMBER}"] });
       window.result = { elevated: client.elevated, user: answer.data[0]?.id };`,
    );
    let gzipped = 0;
    try {
      const built = await esbuild.build({
        entryPoints: [`${project}/browser.js`],
        outfile: `${project}/bundle.js`,
        absWorkingDir: project,
        bundle: true,
        minify: true,
        format: "esm",
        platform: "browser",
        write: true,
        logLevel: "silent",
      });
      void built;
      gzipped = gzipSync(await Deno.readFile(`${project}/bundle.js`)).length;
    } finally {
      await esbuild.stop();
    }
    assert.ok(gzipped < 16_000, `a page using the client ships ${gzipped} bytes gzipped`);
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(new URL(`/package-test/?token=${token}`, node.url).href);
      const fromBrowser = await page.waitForFunction(() =>
        (globalThis as { result?: unknown }).result
      ).then((handle) => handle.jsonValue());
      assert.deepEqual(fromBrowser, { elevated: true, user: MEMBER });
    } finally {
      await browser.close();
    }
    await recordFigures("client-package", { browserBundleGzipBytes: gzipped });
  } finally {
    await node?.shutdown(1000);
    await Deno.remove(work, { recursive: true });
  }
});
