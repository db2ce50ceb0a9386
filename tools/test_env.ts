/**
 * Prepares this machine for the test suite, so `deno task test` works on a
 * fresh machine of this kind: installs Debian's Chromium for the browser
 * tests when it is missing, the audit tools (Lighthouse, axe-core) from npm
 * when this lockfile's install is not cached yet, and starts the local
 * RabbitMQ broker when it is not running. Prints what it does; fails loudly
 * when it cannot.
 */
import { exists } from "./_exists.ts";
import { ensureAuditTools } from "./audit_tools.ts";

const encoder = new TextEncoder();
function say(line: string): void {
  Deno.stderr.writeSync(encoder.encode(`[test-env] ${line}\n`));
}

async function run(cmd: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
    if (!out.success) {
      say(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).slice(-400)}`);
    }
    return out.success;
  } catch (error) {
    say(`${cmd} could not run: ${(error as Error).message}`);
    return false;
  }
}

async function ensureChromium(): Promise<void> {
  if (await exists("/usr/bin/chromium")) return;
  say("installing chromium (apt-get) for the browser tests …");
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = await new Deno.Command("apt-get", { args: ["update", "-qq"], env }).output();
  const install = await new Deno.Command("apt-get", {
    args: ["install", "-y", "-qq", "chromium"],
    env,
    stdout: "null",
  }).output();
  if (!update.success || !install.success || !(await exists("/usr/bin/chromium"))) {
    throw new Error("could not install chromium; browser tests need /usr/bin/chromium");
  }
}

async function ensureNginx(): Promise<void> {
  // tests/deploy_example_test.ts runs the deployment guide's nginx example over TLS.
  if ((await exists("/usr/sbin/nginx")) && (await exists("/usr/bin/openssl"))) return;
  say("installing nginx and openssl (apt-get) for the deployment example test …");
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = await new Deno.Command("apt-get", { args: ["update", "-qq"], env }).output();
  const install = await new Deno.Command("apt-get", {
    args: ["install", "-y", "-qq", "nginx", "openssl"],
    env,
    stdout: "null",
  }).output();
  if (!update.success || !install.success || !(await exists("/usr/sbin/nginx"))) {
    throw new Error("could not install nginx; the deployment example test needs /usr/sbin/nginx");
  }
}

async function brokerUp(): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: 5672 });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

async function ensureRabbitMq(): Promise<void> {
  if (await brokerUp()) return;
  say("starting rabbitmq-server …");
  if (!(await exists("/usr/sbin/rabbitmq-server"))) {
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await new Deno.Command("apt-get", { args: ["update", "-qq"], env }).output();
    await new Deno.Command("apt-get", {
      args: ["install", "-y", "-qq", "rabbitmq-server"],
      env,
      stdout: "null",
    }).output();
  }
  await run("rabbitmq-server", ["-detached"]);
  const deadline = Date.now() + 60_000;
  while (!(await brokerUp())) {
    if (Date.now() > deadline) throw new Error("rabbitmq did not come up on 127.0.0.1:5672");
    await new Promise((r) => setTimeout(r, 500));
  }
  // The port opens before the broker accepts logins; wait for it to be fully up.
  await run("rabbitmqctl", ["-q", "await_startup"]);
}

async function ensureEmojiFont(): Promise<void> {
  // Screenshots show emoji as empty boxes without it; the tests do not depend on it.
  if (await exists("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")) return;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  await new Deno.Command("apt-get", {
    args: ["install", "-y", "-qq", "fonts-noto-color-emoji"],
    env,
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
}

await ensureChromium();
await ensureNginx();
await ensureEmojiFont();
await ensureAuditTools(say);
await ensureRabbitMq();
