/**
 * Builds the client as the npm package `@architus/gateway-client`: one ESM
 * bundle (`dist/mod.js`, esbuild) and its type declarations (`dist/*.d.ts`,
 * the TypeScript compiler), beside `package.json` and `README.md`. The
 * client imports nothing outside `client/` (its protocol is the generated
 * snapshot in `client/protocol/`), so the package holds no path outside
 * itself and has no dependencies.
 *
 * The manifest is `client/package.manifest.json`, written out as the
 * package's `package.json`: a `package.json` inside `client/` would make
 * Deno treat the folder as a separate project, and `deno fmt client/…`
 * would stop applying the repository's settings there.
 *
 *     deno task client:build      # dist/client/package/ and dist/client/<name>-<version>.tgz
 *
 * @module
 */
import * as esbuild from "esbuild";
import ts from "typescript";

const CLIENT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");

export interface PackageBuild {
  /** The package's folder: package.json, README.md, dist/. */
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  /** Bytes of `dist/mod.js`. */
  readonly bundleBytes: number;
}

async function bundle(outDir: string): Promise<number> {
  try {
    const result = await esbuild.build({
      entryPoints: [`${CLIENT}/mod.ts`],
      outfile: `${outDir}/dist/mod.js`,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: ["es2022"],
      sourcemap: true,
      legalComments: "none",
      metafile: true,
      write: true,
      logLevel: "silent",
    });
    const outside = Object.keys(result.metafile.inputs).filter((input) =>
      !input.startsWith("client/") && !input.startsWith(CLIENT)
    );
    if (outside.length > 0) {
      throw new Error(`the client bundle reaches outside client/: ${outside.join(", ")}`);
    }
    return Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  } finally {
    await esbuild.stop();
  }
}

/** Emits `.d.ts` files for `client/mod.ts` and what it imports, with `.js` specifiers. */
function declarations(outDir: string): void {
  const options: ts.CompilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    declaration: true,
    emitDeclarationOnly: true,
    skipLibCheck: true,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
    rootDir: CLIENT,
    outDir: `${outDir}/dist`,
  };
  const program = ts.createProgram([`${CLIENT}/mod.ts`], options);
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length > 0) {
    const host = {
      getCanonicalFileName: (f: string) => f,
      getCurrentDirectory: () => CLIENT,
      getNewLine: () => "\n",
    };
    throw new Error(ts.formatDiagnostics(problems, host));
  }
  const result = program.emit(
    undefined,
    (file, text) => {
      // Specifiers name the emitted files: `./x.ts` becomes `./x.js` (resolved to `./x.d.ts`).
      const rewritten = text.replace(/(from\s+["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2")
        .replace(/(import\(["']\.{1,2}\/[^"']+)\.ts(["']\))/g, "$1.js$2");
      Deno.mkdirSync(file.slice(0, file.lastIndexOf("/")), { recursive: true });
      Deno.writeTextFileSync(file, rewritten);
    },
    undefined,
    true,
  );
  if (result.emitSkipped) throw new Error("the declarations were not emitted");
}

/** Builds the package into `outDir` (emptied first). */
export async function buildClientPackage(outDir: string): Promise<PackageBuild> {
  await Deno.remove(outDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${outDir}/dist`, { recursive: true });
  const manifest = JSON.parse(await Deno.readTextFile(`${CLIENT}/package.manifest.json`));
  await Deno.copyFile(`${CLIENT}/package.manifest.json`, `${outDir}/package.json`);
  await Deno.copyFile(`${CLIENT}/README.md`, `${outDir}/README.md`);
  const bundleBytes = await bundle(outDir);
  declarations(outDir);
  return { dir: outDir, name: manifest.name, version: manifest.version, bundleBytes };
}

/** Packs a built package with `npm pack`; resolves the tarball's path. */
export async function packClientPackage(build: PackageBuild, destination: string): Promise<string> {
  const output = await new Deno.Command("npm", {
    args: ["pack", "--json", "--pack-destination", destination],
    cwd: build.dir,
    env: { npm_config_update_notifier: "false", npm_config_fund: "false" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`npm pack failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  const [packed] = JSON.parse(new TextDecoder().decode(output.stdout)) as [{ filename: string }];
  return `${destination}/${packed.filename}`;
}

if (import.meta.main) {
  // The repository's dist/ (git-ignored, outside every type check), not client/.
  const out = `${CLIENT.slice(0, CLIENT.lastIndexOf("/"))}/dist/client`;
  const build = await buildClientPackage(`${out}/package`);
  const tarball = await packClientPackage(build, out);
  const line = `built ${build.name}@${build.version} (${build.bundleBytes} bytes): ${tarball}\n`;
  await Deno.stdout.write(new TextEncoder().encode(line));
}
