/**
 * Starting a node as an operator would: what a misconfigured deployment
 * gets is one clear line per problem and a non-zero exit, never a stack trace.
 *
 * @module
 */
import assert from "node:assert/strict";
import { freePort } from "../testing/free_port.ts";
import { TEST_SECRET } from "./_helpers/node.ts";

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
