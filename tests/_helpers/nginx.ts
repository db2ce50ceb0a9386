/**
 * Runs the deployment guide's nginx example (`docs/deploy/nginx.conf`) as a
 * child process: the file as written, with only its ports, certificate and
 * log paths substituted, inside a minimal main configuration whose pid, logs
 * and temporary files live in a temporary folder. The certificate is a fresh
 * self-signed one (openssl), so the TLS server block runs as written too.
 */
import { freePort } from "../../testing/free_port.ts";

export const EXAMPLE = new URL("../../docs/deploy/nginx.conf", import.meta.url);

/** Debian's nginx (`deno task test` installs it: `tools/test_env.ts`). */
const NGINX = "/usr/sbin/nginx";

/** A running nginx in front of the example's two upstream nodes. */
export interface ExampleNginx {
  /** `https://127.0.0.1:<port>` of the TLS server block. */
  readonly https: URL;
  /** `http://127.0.0.1:<port>` of the redirecting plain server block. */
  readonly http: URL;
  /** The certificate nginx serves (PEM), to trust in clients. */
  readonly certificate: string;
  /** An HTTP client that trusts the certificate. */
  readonly client: Deno.HttpClient;
  /** The example's access log so far (its `gateway` format). */
  accessLog(): Promise<string>;
  /** Stops nginx and removes its folder; resolves its error log. */
  stop(): Promise<string>;
}

const decoder = new TextDecoder();

/** Replaces `from` by `to` in `text`, where `from` must occur exactly once. */
function substitute(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`docs/deploy/nginx.conf no longer has exactly one "${from}"`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

async function run(cmd: string, args: string[]): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (error) {
    throw new Error(`${cmd} could not run (deno task test installs it): ${error}`);
  }
  const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  return text;
}

async function listening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx not listening on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Starts nginx with the example in front of nodes on `upstreams` (the file's 8001 and 8002). */
export async function startExampleNginx(upstreams: [number, number]): Promise<ExampleNginx> {
  const dir = await Deno.makeTempDir({ prefix: "nginx-example-" });
  await run("/usr/bin/openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=gateway.archit.us",
    // rustls (Deno's TLS) refuses a CA certificate as a server's own: say it is not one.
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    "subjectAltName=DNS:gateway.archit.us,IP:127.0.0.1",
    "-keyout",
    `${dir}/key.pem`,
    "-out",
    `${dir}/cert.pem`,
  ]);
  await Deno.chmod(`${dir}/key.pem`, 0o600);
  const [httpPort, httpsPort] = [freePort(), freePort()];
  let site = await Deno.readTextFile(EXAMPLE);
  for (
    const [from, to] of [
      ["listen 80;", `listen 127.0.0.1:${httpPort};`],
      ["listen 443 ssl;", `listen 127.0.0.1:${httpsPort} ssl;`],
      ["server 127.0.0.1:8001 ", `server 127.0.0.1:${upstreams[0]} `],
      ["server 127.0.0.1:8002 ", `server 127.0.0.1:${upstreams[1]} `],
      ["/etc/letsencrypt/live/gateway.archit.us/fullchain.pem", `${dir}/cert.pem`],
      ["/etc/letsencrypt/live/gateway.archit.us/privkey.pem", `${dir}/key.pem`],
      ["/var/log/nginx/gateway.access.log", `${dir}/access.log`],
    ]
  ) site = substitute(site, from!, to!);
  await Deno.writeTextFile(`${dir}/gateway.conf`, site);
  // What Debian's /etc/nginx/nginx.conf provides around conf.d/, pointed at the folder.
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    [
      // One process: if the test dies, no orphaned worker keeps the ports.
      "master_process off;",
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log info;`,
      "events { worker_connections 512; }",
      "http {",
      `  access_log ${dir}/other.log;`,
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) =>
        `  ${kind}_temp_path ${dir}/${kind};`
      ),
      `  include ${dir}/gateway.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  const args = ["-p", `${dir}/`, "-c", `${dir}/nginx.conf`];
  await run(NGINX, ["-t", ...args]);
  const child = new Deno.Command(NGINX, {
    args: [...args, "-g", "daemon off;"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const certificate = await Deno.readTextFile(`${dir}/cert.pem`);
  const client = Deno.createHttpClient({ caCerts: [certificate] });
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    client.close();
    const log = await Deno.readTextFile(`${dir}/error.log`).catch(() => "");
    await Deno.remove(dir, { recursive: true });
    return (await stderr) + log;
  };
  try {
    await Promise.all([listening(httpPort, 10_000), listening(httpsPort, 10_000)]);
  } catch (error) {
    throw new Error(`${(error as Error).message}:\n${await stop()}`);
  }
  return {
    https: new URL(`https://127.0.0.1:${httpsPort}`),
    http: new URL(`http://127.0.0.1:${httpPort}`),
    certificate,
    client,
    accessLog: () => Deno.readTextFile(`${dir}/access.log`).catch(() => ""),
    stop,
  };
}
