/**
 * The first-round checkout the system `gateway-before` runs: the tree at
 * `FIRST_ROUND_REV` (`BENCH_BEFORE_REV` to choose another commit), taken
 * with `git archive <rev> | tar -x` into `bench/.before/<commit>/` (git-ignored,
 * outside every lint/fmt/check), its npm dependencies installed there from
 * its own `deno.json` and `deno.lock` (`deno install --frozen`).
 *
 * Over it go today's harness files, so that the old server script speaks
 * today's runner and publishes today's events: `bench/shared/*.mjs` (the
 * pacer, the events, the recorder), `bench/lib/control.ts` and the
 * `bench/servers/_*.ts` helpers. Nothing else of the old tree is touched:
 * the gateway under test is the first round's.
 *
 * Preparing is idempotent: a checkout whose marker file is present is
 * reused (extraction and install happen once); the harness files are copied
 * over again every time, so that they are always today's.
 *
 * @module
 */
import { BENCH_ROOT, PROJECT_ROOT } from "./child.ts";

/** The head before this round's changes. */
export const FIRST_ROUND_REV = "e706571";

/** The server script of the checkout, relative to its root (the first round's own). */
export const BEFORE_SERVER = "bench/servers/gateway.ts";

const MARKER = ".bench-before.json";

/** The commit `gateway-before` runs: `BENCH_BEFORE_REV`, or the first round's head. */
export function beforeRev(): string {
  return Deno.env.get("BENCH_BEFORE_REV")?.trim() || FIRST_ROUND_REV;
}

/** The system's label: which commit it is. */
export function beforeLabel(rev = beforeRev()): string {
  return rev === FIRST_ROUND_REV
    ? `gateway, embedded, first round (${rev})`
    : `gateway, embedded, at ${rev} (BENCH_BEFORE_REV)`;
}

/** Today's files copied over the checkout, relative to the project root. */
function harnessFiles(): string[] {
  const list = (dir: string, keep: (name: string) => boolean) =>
    [...Deno.readDirSync(new URL(dir, PROJECT_ROOT))]
      .filter((e) => e.isFile && keep(e.name))
      .map((e) => `${dir}${e.name}`)
      .sort();
  return [
    ...list("bench/shared/", (name) => name.endsWith(".mjs")),
    "bench/lib/control.ts",
    ...list("bench/servers/", (name) => name.startsWith("_") && name.endsWith(".ts")),
  ];
}

async function run(
  command: string,
  args: string[],
  cwd: URL,
): Promise<string> {
  const out = await new Deno.Command(command, {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  if (!out.success) {
    throw new Error(
      `${command} ${args.join(" ")} failed: ${text.decode(out.stderr).trim().slice(-1500)}`,
    );
  }
  return text.decode(out.stdout).trim();
}

/** `git archive <commit> | tar -x -C <into>`. */
async function extract(commit: string, into: URL): Promise<void> {
  const git = new Deno.Command("git", {
    args: ["archive", "--format=tar", commit],
    cwd: PROJECT_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const tar = new Deno.Command("tar", {
    args: ["-x", "-C", into.pathname],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const [gitStatus, tarStatus, gitErr, tarErr] = await Promise.all([
    git.stdout.pipeTo(tar.stdin).then(() => git.status),
    tar.status,
    new Response(git.stderr).text(),
    new Response(tar.stderr).text(),
  ]);
  if (!gitStatus.success || !tarStatus.success) {
    throw new Error(`git archive ${commit} | tar -x failed: ${(gitErr + tarErr).trim()}`);
  }
}

function exists(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
}

/** Copies today's harness files over the checkout (only those that differ). */
function overlay(dir: URL): string[] {
  const copied: string[] = [];
  for (const file of harnessFiles()) {
    const today = Deno.readFileSync(new URL(file, PROJECT_ROOT));
    const target = new URL(file, dir);
    let old: Uint8Array | undefined;
    try {
      old = Deno.readFileSync(target);
    } catch { /* not in the old tree */ }
    if (old !== undefined && old.length === today.length && old.every((b, i) => b === today[i])) {
      continue;
    }
    Deno.mkdirSync(new URL(".", target), { recursive: true });
    Deno.writeFileSync(target, today);
    copied.push(file);
  }
  return copied;
}

export interface BeforeCheckout {
  /** What was asked for (`BENCH_BEFORE_REV` or `FIRST_ROUND_REV`). */
  readonly rev: string;
  readonly commit: string;
  /** The checkout's root, the server's working directory. */
  readonly dir: URL;
  /** Whether this call extracted and installed it (false: reused). */
  readonly fresh: boolean;
}

/**
 * Extracts and installs the checkout of `rev` unless it is already there,
 * then copies today's harness files over it.
 */
export async function prepareBefore(rev = beforeRev()): Promise<BeforeCheckout> {
  const commit = await run("git", ["rev-parse", "--verify", `${rev}^{commit}`], PROJECT_ROOT);
  const root = new URL(".before/", BENCH_ROOT);
  const dir = new URL(`${commit.slice(0, 12)}/`, root);
  const marker = new URL(MARKER, dir);
  let complete = false;
  try {
    complete = JSON.parse(Deno.readTextFileSync(marker)).commit === commit;
  } catch { /* not prepared */ }
  if (!complete) {
    // Extract beside it and rename, so that a half-written tree never has the final name.
    Deno.mkdirSync(root, { recursive: true });
    if (exists(dir)) Deno.removeSync(dir, { recursive: true });
    const tmp = new URL(`.tmp-${commit.slice(0, 12)}-${Deno.pid}/`, root);
    Deno.mkdirSync(tmp, { recursive: true });
    try {
      await extract(commit, tmp);
      Deno.renameSync(tmp, dir);
    } finally {
      if (exists(tmp)) Deno.removeSync(tmp, { recursive: true });
    }
  }
  overlay(dir);
  if (!complete) {
    // Its own deno.json and deno.lock: the first round's dependencies, as locked then.
    await run(Deno.execPath(), ["install", "--frozen", "--entrypoint", BEFORE_SERVER], dir);
    Deno.writeTextFileSync(
      marker,
      JSON.stringify(
        {
          rev,
          commit,
          preparedAt: new Date().toISOString(),
          deno: Deno.version.deno,
          harness: harnessFiles(),
        },
        null,
        1,
      ) + "\n",
    );
  }
  return { rev, commit, dir, fresh: !complete };
}
