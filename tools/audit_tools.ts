/**
 * The third-party audits the browser tests run, Lighthouse and axe-core,
 * installed from npm with Node's own client (Lighthouse is a Node program).
 * Versions are pinned by `tools/audit/package-lock.json`; they install once
 * per lockfile into a cache directory outside the repository, shared by
 * every clone on the machine, so later runs only check that it is there.
 *
 * @module
 */

import { exists } from "./_exists.ts";
const LOCK_URL = new URL("./audit/package-lock.json", import.meta.url);
const PACKAGE_URL = new URL("./audit/package.json", import.meta.url);

/** Paths of the installed tools. */
export interface AuditTools {
  /** The directory holding `node_modules/`. */
  readonly dir: string;
  /** Lighthouse's command-line entry, run with `node`. */
  readonly lighthouseCli: string;
  /** axe-core's browser bundle, injected into pages. */
  readonly axeScript: string;
}

function cacheRoot(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/architus`;
  const home = Deno.env.get("HOME");
  return home ? `${home}/.cache/architus` : `${Deno.makeTempDirSync()}/architus`;
}

async function lockDigest(lock: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", lock));
  return [...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function toolsIn(dir: string): AuditTools {
  return {
    dir,
    lighthouseCli: `${dir}/node_modules/lighthouse/cli/index.js`,
    axeScript: `${dir}/node_modules/axe-core/axe.min.js`,
  };
}

async function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" })
      .output();
  } catch (error) {
    throw new Error(
      `${cmd} could not run (${(error as Error).message}); the audits need Node 18.16+ and npm`,
    );
  }
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr).slice(-2000);
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  }
}

/**
 * Installs the audit tools unless this lockfile's install is there already,
 * and says where they are. Safe to call from several processes at once:
 * each installs into its own directory and the first to finish wins.
 */
export async function ensureAuditTools(
  log: (line: string) => void = () => {},
): Promise<AuditTools> {
  const lock = await Deno.readFile(LOCK_URL);
  const dir = `${cacheRoot()}/audit-tools-${await lockDigest(lock)}`;
  const tools = toolsIn(dir);
  if (await exists(tools.lighthouseCli) && await exists(tools.axeScript)) return tools;
  log(`installing Lighthouse and axe-core from npm into ${dir} …`);
  await Deno.mkdir(cacheRoot(), { recursive: true });
  const staging = await Deno.makeTempDir({ dir: cacheRoot(), prefix: "audit-tools-staging-" });
  try {
    await Deno.copyFile(PACKAGE_URL, `${staging}/package.json`);
    await Deno.writeFile(`${staging}/package-lock.json`, lock);
    // No install scripts: neither tool needs one, and none should run on a test machine.
    await run("npm", [
      "ci",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--ignore-scripts",
      "--loglevel=error",
    ], staging);
    try {
      await Deno.rename(staging, dir);
    } catch (error) {
      // Another process got there first: its install is as good as this one.
      if (!(await exists(tools.lighthouseCli))) throw error;
    }
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
  return tools;
}

if (import.meta.main) {
  const tools = await ensureAuditTools((line) =>
    Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`))
  );
  Deno.stdout.writeSync(new TextEncoder().encode(`${tools.dir}\n`));
}
