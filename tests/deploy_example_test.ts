import { builtAssetsDir } from "./_helpers/built_assets.ts";
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../gateway/mod.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { freePort } from "../testing/free_port.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { deleteQueues } from "./_helpers/broker.ts";
import { recordFigures } from "./_helpers/figures.ts";
import { type ExampleNginx, startExampleNginx } from "./_helpers/nginx.ts";
import { AMQP_TEST_URL, dataset, TEST_SECRET, tokenFor } from "./_helpers/node.ts";
import { ChildProcess, metric, waitForReady } from "./_helpers/process.ts";
import { openFrom, type WssFrom } from "./_helpers/wss_from.ts";
import { WsClient } from "./_helpers/ws_client.ts";

/**
 * The deployment guide's worked example, run as written: `docs/deploy/nginx.conf`
 * (ports, certificate and log paths substituted) in front of two production
 * nodes started with `docs/deploy/gateway.env`, on RabbitMQ, with the demo
 * backend as its own process.
 */
const ENV_FILE = new URL("../docs/deploy/gateway.env", import.meta.url);
const DEMO = DEMO_GUILD_IDS.architusDemo;
const admin = dataset().demoUsers.architusAdmin;
/** The per-address cap, lowered from the guide's 100 so the test opens few connections. */
const CAP = 10;

async function guideEnvironment(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const line of (await Deno.readTextFile(ENV_FILE)).split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m !== null) env[m[1]!] = m[2]!;
  }
  return env;
}

type Frame = Record<string, unknown>;
const events = (c: WsClient) =>
  c.received((f) => f._event === "log_other").flatMap((f) => f.events as Array<{ id: string }>);

Deno.test("the guide's environment file is refused until its CHANGE_ME values are replaced", async () => {
  const env = await guideEnvironment();
  assert.equal(env.GATEWAY_ENV, "production");
  assert.equal(env.TRUSTED_PROXY_HEADER, "x-real-ip", "the header the nginx example sets");
  assert.throws(
    () => loadConfig(env),
    (e) => e instanceof ConfigError && /JWT_SECRET/.test(e.message),
  );
  const config = loadConfig({ ...env, JWT_SECRET: TEST_SECRET });
  assert.deepEqual(config.allowedOrigins, ["https://archit.us"]);
  assert.ok(config.heartbeatSeconds < 75, "below the example's proxy_read_timeout");
});

Deno.test({
  name:
    "the guide's nginx example in front of two production nodes: TLS, pages, probes, cookies, a refused /metrics, per-address caps and a node stopped under traffic",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const ns = `dep${crypto.randomUUID().slice(0, 8)}`;
    const env = {
      ...(await guideEnvironment()),
      JWT_SECRET: TEST_SECRET,
      AMQP_URL: AMQP_TEST_URL,
      BUS_NAMESPACE: ns,
      // Shorter than the guide's 5 s and 10 s, to keep the test quick.
      SHUTDOWN_PRESTOP_SECONDS: "2",
      SHUTDOWN_DRAIN_SECONDS: "2",
      MAX_CONNECTIONS_PER_IP: String(CAP),
      LOG_LEVEL: "warn",
      // The guide's `deno task build`, done once for the test process.
      ASSETS_DIR: await builtAssetsDir(),
    };
    assert.ok(!Object.values(env).some((v) => v.includes("CHANGE_ME")), "every CHANGE_ME replaced");
    const [portA, portB, metricsA, metricsB] = [freePort(), freePort(), freePort(), freePort()];
    const backend = ChildProcess.start("backend_main.ts", {
      AMQP_URL: AMQP_TEST_URL,
      BUS_NAMESPACE: ns,
      DEMO_LOG_RATE: "50",
      DEMO_POOL_UPDATE_SECONDS: "0",
      LOG_LEVEL: "warn",
    });
    const node = (id: string, port: number, metricsPort: number) =>
      ChildProcess.start("main.ts", {
        ...env,
        NODE_ID: id,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
      });
    const nodeA = node("gw-1", portA, metricsA);
    const nodeB = node("gw-2", portB, metricsB);
    const direct = (port: number) => new URL(`http://127.0.0.1:${port}/`);
    let nginx: ExampleNginx | undefined;
    const clients: WsClient[] = [];
    const raw: WssFrom[] = [];
    let nginxLog = "";
    try {
      await Promise.all(
        [portA, portB].map((p) => waitForReady(new URL("/readyz", direct(p)).href)),
      );
      const proxy = nginx = await startExampleNginx([portA, portB]);
      const get = (path: string, base = proxy.https) =>
        fetch(base.origin + path, { client: proxy.client, redirect: "manual" });
      const wss = (path = "/gateway") => `wss://${proxy.https.host}${path}`;
      const browser = { cookie: `token=${await tokenFor(admin.id)}`, origin: "https://archit.us" };
      const viewer = async (path = "/gateway", since?: string) => {
        const c = await WsClient.connect(wss(path), browser, proxy.client);
        clients.push(c);
        const spectate = { _event: "spectate", _seq: 1, guild_id: DEMO, include_logs: true };
        const answer = await c.ask(since === undefined ? spectate : { ...spectate, since });
        assert.equal(answer.logs, "granted");
        await waitFor(() => events(c).length > 0, { timeoutMs: 10_000, message: "log events" });
        return { client: c, answer };
      };

      await t.step("pages, probes and the HTTPS redirect pass; /metrics is refused", async () => {
        const redirect = await get("/app", proxy.http);
        await redirect.body?.cancel();
        assert.equal(redirect.status, 301);
        assert.equal(redirect.headers.get("location"), "https://127.0.0.1/app");
        const page = await get("/");
        const html = await page.text();
        assert.equal(page.status, 200);
        assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'self'/);
        const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
        assert.ok(script !== undefined, "the page names its island bundle");
        const bundle = await get(script);
        await bundle.body?.cancel();
        assert.equal(bundle.status, 200);
        assert.deepEqual(await (await get("/healthz")).json(), { ok: true });
        const ready = await get("/readyz");
        assert.equal(ready.status, 200);
        assert.equal(((await ready.json()) as { ready: boolean }).ready, true);
        for (const path of ["/metrics", "//metrics", "/%6Detrics", "/metrics?format=text"]) {
          const refused = await get(path);
          await refused.body?.cancel();
          assert.equal(refused.status, 403, `${path} through nginx`);
        }
        // The node serves /metrics only on METRICS_PORT, where Prometheus scrapes it.
        const main = await fetch(new URL("/metrics", direct(portA)));
        await main.body?.cancel();
        assert.equal(main.status, 404);
        assert.equal(await metric(direct(metricsA), "gateway_bus_ready"), 1);
      });

      await t.step(
        "a WebSocket through nginx elevates with the token cookie and spectates",
        async () => {
          for (const path of ["/gateway", "/authenticated"]) {
            const { client } = await viewer(path);
            const session = await client.ask({ _event: "session", _seq: 2 });
            assert.equal(session.elevated, true);
            assert.equal(session.user_id, admin.id);
          }
          // The Origin header reaches the node: a foreign page cannot ride the visitor's cookie.
          await assert.rejects(
            WsClient.connect(wss(), { ...browser, origin: "https://evil.example" }, proxy.client),
          );
          assert.match(await proxy.accessLog(), /"GET \/gateway HTTP\/1\.1" 403 .* ups=403 /);
        },
      );

      await t.step(
        "a node stopped with SIGTERM: unready at once, every client served by the other",
        async () => {
          for (let i = 0; i < 4; i++) await viewer();
          const before = {
            a: await metric(direct(metricsA), "gateway_connections"),
            b: await metric(direct(metricsB), "gateway_connections"),
          };
          assert.ok(
            before.a >= 2 && before.b >= 2,
            `least_conn spreads viewers (${JSON.stringify(before)})`,
          );
          // New visitors keep arriving through nginx for the whole stop.
          const probes = { opened: 0, failed: [] as string[] };
          let probing = true;
          const prober = (async () => {
            while (probing) {
              try {
                await (await WsClient.connect(wss(), browser, proxy.client)).close();
                probes.opened++;
              } catch (error) {
                probes.failed.push(String(error));
              }
              await sleep(100);
            }
          })();
          const t0 = Date.now();
          const exited = nodeA.stop("SIGTERM");
          let readyz: { status: number; body?: Frame } = { status: 200 };
          while (readyz.status === 200 && Date.now() - t0 < 1000) {
            const r = await fetch(new URL("/readyz", direct(portA)));
            readyz = { status: r.status, body: await r.json() };
          }
          const unreadyMs = Date.now() - t0;
          assert.equal(readyz.status, 503, "the stopping node's own /readyz");
          assert.equal(readyz.body?.draining, true);
          const through = await get("/readyz");
          await through.body?.cancel();
          assert.equal(through.status, 200, "through nginx: another node is ready");
          // Still serving its clients during the pre-stop delay.
          for (const c of clients) {
            assert.equal((await c.ask({ _event: "session", _seq: 3 })).elevated, true);
          }
          assert.ok(Date.now() - t0 < 2000, "answered within the pre-stop delay");
          await exited;
          assert.equal((await nodeA.status).code, 0, "the stopped node exits 0");
          const stoppedMs = Date.now() - t0;
          const closed = () => clients.filter((c) => c.socket.readyState === WebSocket.CLOSED);
          await waitFor(() => closed().length === before.a, {
            timeoutMs: 3000,
            message: "every client of the stopped node told to reconnect",
          });
          const moved = closed();
          for (const c of moved) assert.equal((await c.closed).code, 1012);
          // They come back through nginx, to the other node, and resume where they were.
          for (const c of moved) {
            const last = events(c).at(-1)!.id;
            const { client, answer } = await viewer("/gateway", last);
            assert.equal(answer.recovered, true);
            assert.ok(BigInt(events(client)[0]!.id) > BigInt(last), "no event twice");
          }
          await sleep(300);
          probing = false;
          await prober;
          assert.deepEqual(probes.failed, [], "no visitor saw the stop");
          assert.ok(probes.opened >= 10, `visitors kept connecting (${probes.opened})`);
          const alive = clients.filter((c) => c.socket.readyState === WebSocket.OPEN).length;
          let onB = 0;
          for (const end = Date.now() + 3000; onB !== alive && Date.now() < end; await sleep(100)) {
            onB = await metric(direct(metricsB), "gateway_connections");
          }
          assert.equal(onB, alive, "the other node holds every client");
          const log = await proxy.accessLog();
          assert.doesNotMatch(log, /"GET \/gateway HTTP\/1\.1" 50\d /, "no 5xx reached a client");
          await recordFigures("deploy-example", {
            unready_ms_after_sigterm: unreadyMs,
            exited_ms_after_sigterm: stoppedMs,
            clients_moved: moved.length,
            visitors_connected_during_stop: probes.opened,
            upgrades_passed_over_with_503: log.match(/"GET \/gateway HTTP\/1\.1" 101 .*ups=503, /g)
              ?.length ?? 0,
          });
        },
      );

      await t.step(
        "the per-address cap counts the address nginx forwards, not nginx's own",
        async () => {
          const from = (localAddress: string, headers: Record<string, string> = {}) =>
            openFrom({
              url: new URL(wss()),
              localAddress,
              ca: proxy.certificate,
              headers: { origin: browser.origin, ...headers },
            }).then((c) => (raw.push(c), c.outcome));
          // 2 × CAP connections, all from nginx's one address as the node's TCP peer.
          for (const address of ["127.0.0.2", "127.0.0.3"]) {
            for (let i = 0; i < CAP; i++) assert.equal(await from(address), "open", address);
          }
          assert.equal(await from("127.0.0.2"), 4529, "over the cap of 127.0.0.2");
          // A client cannot claim another address: nginx overwrites X-Real-IP.
          const forged = { "x-real-ip": "10.9.8.7", "x-forwarded-for": "10.9.8.7" };
          assert.equal(await from("127.0.0.2", forged), 4529, "forged headers do not help");
          assert.equal(await from("127.0.0.4"), "open", "another address is not affected");
        },
      );
    } finally {
      for (const c of raw) c.close();
      await Promise.all(clients.map((c) => c.close()));
      nginxLog = await nginx?.stop() ?? "";
      await Promise.all([nodeA.stop("SIGINT"), nodeB.stop("SIGINT"), backend.stop()]);
      await deleteQueues(
        `${ns}.gateway.revocations`,
        `${ns}.gateway_rpc`,
        ...[0, 1, 2, 3].map((n) => `${ns}.shard_rpc_${n}`),
      );
    }
    assert.doesNotMatch(nginxLog, /\[(emerg|alert|crit)\]/, "nginx's error log");
  },
});
