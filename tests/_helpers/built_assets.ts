import { buildIslands } from "../../build.ts";

let built: Promise<string> | undefined;

/**
 * A directory holding one `deno task build` output, made once per test
 * process, for production nodes (which only read a build).
 */
export function builtAssetsDir(): Promise<string> {
  built ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "architus-build-" });
    await buildIslands({ outDir: dir });
    return dir;
  })();
  return built;
}
