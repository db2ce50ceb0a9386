/**
 * The client guide (`docs/client.md`) and the README's quickstart cannot
 * rot: every `ts` snippet is type-checked and run against a real node, and
 * the guide's table of errors must list exactly the names and codes the
 * protocol and the client use.
 */
import assert from "node:assert/strict";
import { ClientErrorName, ErrorCode, GatewayClient } from "../client/mod.ts";
import { closeGuideClients, setGuideContext } from "./_helpers/guide_harness.ts";
import { dataset, startTestNode, tokenFor, wsUrl } from "./_helpers/node.ts";

const ROOT = new URL("../", import.meta.url);
const HARNESS = new URL("./_helpers/guide_harness.ts", import.meta.url).href;
/** Application code the snippets may use without defining it. */
const CONTEXT_NAMES = ["client", "getToken", "render", "showError", "signIn"];

interface Snippet {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

async function snippets(file: string): Promise<Snippet[]> {
  const text = await Deno.readTextFile(new URL(file, ROOT));
  const found: Snippet[] = [];
  const fence = /^```ts\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(fence)) {
    const line = text.slice(0, match.index).split("\n").length;
    found.push({ file, line, code: match[1] as string });
  }
  return found;
}

/** The snippet as a module: the harness instead of the package, and the context it assumes. */
function moduleOf(snippet: Snippet): string {
  const code = snippet.code.replaceAll('"@architus/gateway-client"', JSON.stringify(HARNESS));
  const declared = (name: string) =>
    new RegExp(`(const|let|function|class)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from`)
      .test(code);
  const used = CONTEXT_NAMES.filter((name) =>
    new RegExp(`(?<![.\\w])${name}\\b`).test(code) && !declared(name)
  );
  const preamble = used.length === 0
    ? ""
    : `import { guide as __guide } from ${JSON.stringify(HARNESS)};\nconst { ${
      used.join(", ")
    } } = __guide();\n`;
  return `${preamble}${code}\nexport {};\n`;
}

Deno.test("the client guide's and the README's snippets type-check and run against a real node", async () => {
  const all = [...await snippets("docs/client.md"), ...await snippets("README.md")];
  assert.ok(all.length >= 8, `found ${all.length} snippets`);
  const dir = await Deno.makeTempDir({ prefix: "architus-guide-" });
  const node = await startTestNode({ LOG_LEVEL: "warn" });
  const member = dataset().demoUsers.member.id;
  const client = new GatewayClient({
    url: wsUrl(node),
    token: () => tokenFor(member),
    backoff: { baseMs: 20, maxMs: 200 },
  });
  try {
    const files = all.map((snippet, i) => {
      const path = `${dir}/snippet_${i}.ts`;
      Deno.writeTextFileSync(path, moduleOf(snippet));
      return path;
    });
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", new URL("deno.json", ROOT).pathname, ...files],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const problems = new TextDecoder().decode(check.stderr);
    assert.ok(check.success, `the snippets type-check:\n${problems}\n(${files.join(" ")})`);

    client.connect();
    await client.ready();
    const rendered: unknown[] = [];
    setGuideContext({
      url: wsUrl(node),
      client,
      getToken: () => tokenFor(member),
      render: (value) => rendered.push(value),
      showError: (message) => rendered.push({ error: message }),
      signIn: () => {},
    });
    for (const [i, snippet] of all.entries()) {
      try {
        await import(new URL(`file://${files[i]}`).href);
      } catch (error) {
        throw new Error(`${snippet.file}:${snippet.line}: the snippet failed`, { cause: error });
      } finally {
        await closeGuideClients();
      }
    }
    assert.ok(rendered.length > 0, "the snippets rendered something");
    assert.ok(
      rendered.every((value) => !(typeof value === "object" && value !== null && "error" in value)),
      `no snippet hit an error: ${JSON.stringify(rendered.filter((v) => typeof v === "object"))}`,
    );
  } finally {
    setGuideContext(undefined);
    await closeGuideClients();
    await client.close();
    await node.shutdown(1000);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the client guide lists every error name with its code, and no other", async () => {
  const text = await Deno.readTextFile(new URL("docs/client.md", ROOT));
  const rows = new Map<string, number>();
  for (const match of text.matchAll(/^\| `([a-z_]+)`\s*\|\s*(\d+)\s*\|/gm)) {
    rows.set(match[1] as string, Number(match[2]));
  }
  const expected = new Map<string, number>(Object.entries(ErrorCode));
  for (const name of Object.values(ClientErrorName)) {
    if (!expected.has(name)) expected.set(name, 0);
  }
  assert.deepEqual(
    [...rows].sort(([a], [b]) => a.localeCompare(b)),
    [...expected].sort(([a], [b]) => a.localeCompare(b)),
  );
});
