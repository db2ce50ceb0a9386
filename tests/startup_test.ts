/**
 * Starting a node as an operator would: what a misconfigured deployment
 * gets is one clear line per problem and a non-zero exit, never a stack trace.
 *
 * @module
 */
import assert from "node:assert/strict";
import { freePort } from "../testing/free_port.ts";
import { TEST_SECRET } from "./_helpers/node.ts";
import { builtAssetsDir } from "./_helpers/built_assets.ts";
import { ChildProcess, waitForReady } from "./_helpers/process.ts";

async function start(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: new URL("../", import.meta.url),
    env: { PORT: String(freePort()), ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr);
  return { code: out.code, lines: text.split("\n").filter((l) => l.trim().length > 0) };
}

Deno.test({
  name: "a misconfigured production start lists every problem at once and exits 2",
  sanitizeResources: false,
  fn: async () => {
    const r = await start({
      GATEWAY_ENV: "production",
      JWT_SECRET: "architus-development-secret-do-not-use-in-production",
      PORT: "not-a-port",
      ALLOWED_ORIGINS: "archit.us",
    });
    assert.equal(r.code, 2);
    const all = r.lines.join("\n");
    assert.match(all, /PORT/);
    assert.match(all, /development secret is refused/);
    assert.match(all, /not an origin/);
    assert.doesNotMatch(all, /\n\s+at /, "no stack trace");
  },
});

Deno.test({
  name: "an empty GATEWAY_ENV refuses to start",
  sanitizeResources: false,
  fn: async () => {
    const r = await start({ GATEWAY_ENV: "", JWT_SECRET: TEST_SECRET });
    assert.equal(r.code, 2);
    assert.match(r.lines.join("\n"), /GATEWAY_ENV: must be set to production or development/);
  },
});

Deno.test({
  name:
    "broker failures at start are one line that says which: refused credentials, nobody listening",
  sanitizeResources: false,
  fn: async () => {
    const base = { GATEWAY_ENV: "development", JWT_SECRET: TEST_SECRET };
    const denied = await start({ ...base, AMQP_URL: "amqp://guest:wrong@127.0.0.1:5672" });
    assert.equal(denied.code, 3);
    const deniedErrors = denied.lines.filter((l) => JSON.parse(l).level === "error");
    assert.equal(deniedErrors.length, 1);
    assert.match(deniedErrors[0]!, /refused the credentials/);
    const nobody = await start({ ...base, AMQP_URL: `amqp://guest:guest@127.0.0.1:${freePort()}` });
    assert.equal(nobody.code, 3);
    assert.match(nobody.lines.at(-1)!, /not reachable/);
    for (const line of [...denied.lines, ...nobody.lines]) {
      assert.doesNotMatch(line, /guest:wrong|wrong@/, "the password is never printed");
    }
  },
});

const PRODUCTION = {
  GATEWAY_ENV: "production",
  JWT_SECRET: TEST_SECRET,
  ALLOWED_ORIGINS: "https://archit.us",
  DEMO_LOG_RATE: "0",
  DEMO_POOL_UPDATE_SECONDS: "0",
};

Deno.test({
  name: "a production start without a build says to run deno task build, in one line, and exits 2",
  sanitizeResources: false,
  fn: async () => {
    const empty = await Deno.makeTempDir();
    const r = await start({ ...PRODUCTION, ASSETS_DIR: empty });
    assert.equal(r.code, 2);
    const errors = r.lines.filter((l) => JSON.parse(l).level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /no usable build in .*no manifest\.json.*deno task build/);
    assert.deepEqual([...Deno.readDirSync(empty)], [], "nothing was written");
  },
});

/** Every file under `dir` with its size and modification time. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const path = `${d}/${e.name}`;
      if (e.isDirectory) walk(path);
      else out.push(`${path} ${Deno.statSync(path).size} ${Deno.statSync(path).mtime?.getTime()}`);
    }
  };
  walk(dir);
  return out.sort();
}

Deno.test({
  name: "production nodes only read the build: two share one directory and serve its assets",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await builtAssetsDir();
    const before = listing(dir);
    const ports = [freePort(), freePort()];
    const nodes = ports.map((port) =>
      ChildProcess.start("main.ts", { ...PRODUCTION, ASSETS_DIR: dir, PORT: String(port) })
    );
    try {
      for (const port of ports) {
        const base = `http://127.0.0.1:${port}`;
        await waitForReady(`${base}/readyz`);
        const page = await (await fetch(`${base}/`)).text();
        const script = /src="(\/assets\/front_page-[A-Z0-9]+\.js)"/.exec(page)?.[1];
        assert.ok(script !== undefined, "the page names the built script");
        const asset = await fetch(`${base}${script}`, { headers: { "accept-encoding": "br" } });
        await asset.body?.cancel();
        assert.equal(asset.status, 200);
        assert.equal(asset.headers.get("content-encoding"), "br");
      }
      assert.deepEqual(listing(dir), before, "the build directory is unchanged");
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  },
});
