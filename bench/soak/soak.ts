// deno-lint-ignore-file no-console
/**
 * Soak run: a gateway node (its own process, embedded mode, demo traffic on)
 * under connection churn and log traffic, sampling its memory over time.
 *
 *   deno task soak            # ten minutes
 *   deno task soak:hour       # one hour
 *   deno run -A bench/soak/soak.ts --minutes 2 --connections 200
 *
 * Every second about a tenth of the connections close (half of them
 * abruptly) and as many new ones open, elevate by cookie, spectate a random
 * guild (logs on or off), ask for a pool, or play with the interpret mock;
 * a few readers are slow. Every 10 s the server's RSS, JS heap (from
 * /metrics) and connection, binding and request gauges are sampled. The run
 * passes when memory plateaus: the mean RSS of the last fifth is within 15%
 * of the middle fifth's and the gauges return to zero after the clients
 * leave. Results go to bench/results/soak-<minutes>m.json, .md and .svg
 * (memory over time).
 *
 *   deno run -A bench/soak/soak.ts --chart-only bench/results/soak-10m.json
 *
 * draws the chart again from a result file.
 */
import { mintToken } from "../../gateway/auth/mod.ts";
import { createDemoDataset } from "../../demo/mod.ts";
import { freePort } from "../../testing/free_port.ts";
import { memoryChart, type MemorySample } from "./memory_chart.ts";

interface SoakResult {
  at: string;
  minutes: number;
  connections: number;
  logRate: number;
  opened: number;
  samples: MemorySample[];
}

function writeChart(result: SoakResult, svgPath: string): void {
  Deno.writeTextFileSync(
    svgPath,
    memoryChart(
      result.samples,
      `Soak, ${result.minutes} minutes: gateway memory over time`,
      `${result.connections} connections churning 10 %/s, ${result.logRate} log events/s, ` +
        `${result.opened.toLocaleString("en-US")} connections opened · ${result.at.slice(0, 10)}`,
    ),
  );
}

if (Deno.args[0] === "--chart-only") {
  const path = Deno.args[1] ?? "";
  const result = JSON.parse(Deno.readTextFileSync(path)) as SoakResult;
  writeChart(result, path.replace(/\.json$/, ".svg"));
  console.log(`wrote ${path.replace(/\.json$/, ".svg")}`);
  Deno.exit(0);
}

const args = new Map<string, string>();
for (let i = 0; i < Deno.args.length; i += 2) {
  args.set(Deno.args[i]!.replace(/^--/, ""), Deno.args[i + 1] ?? "");
}
const minutes = Number(args.get("minutes") ?? 10);
const target = Number(args.get("connections") ?? 300);
const logRate = Number(args.get("log-rate") ?? 500);
const secret = "soak-secret-soak-secret-soak-secret-0123";
const root = new URL("../../", import.meta.url);

const port = freePort();
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "main.ts"],
  cwd: root,
  env: {
    GATEWAY_ENV: "development",
    PORT: String(port),
    JWT_SECRET: secret,
    // Every soak client comes from 127.0.0.1: lift the per-address cap for them.
    MAX_CONNECTIONS_PER_IP: "100000",
    DEMO_LOG_RATE: String(logRate),
    DEMO_POOL_UPDATE_SECONDS: "1",
    LOG_LEVEL: "error",
    RATE_LIMIT_BURST: "1000",
    RATE_LIMIT_PER_SECOND: "100",
  },
  stdout: "null",
  stderr: "null",
}).spawn();
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 200; i++) {
  try {
    const r = await fetch(`${base}/readyz`);
    await r.body?.cancel();
    if (r.ok) break;
  } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 100));
}

const data = createDemoDataset({ bigGuildMembers: 3 });
const guilds = data.guilds.map((g) => g.id);
const who = Object.values(data.demoUsers).map((u) => u.id);
const cookies = await Promise.all(
  who.map(async (id) =>
    `dev-token=${await mintToken({ secret, userId: id, ttlSeconds: 4 * 3600 })}`
  ),
);

interface Conn {
  ws: WebSocket;
  slow: boolean;
}
const conns = new Set<Conn>();
let opened = 0;
let received = 0;

function open(): void {
  const cookie = cookies[Math.floor(Math.random() * cookies.length)]!;
  const ws = new WebSocket(
    `ws://127.0.0.1:${port}/gateway`,
    { headers: { cookie } } as unknown as string[],
  );
  const conn: Conn = { ws, slow: Math.random() < 0.03 };
  conns.add(conn);
  opened++;
  ws.onopen = () => {
    const guild = guilds[Math.floor(Math.random() * guilds.length)]!;
    ws.send(
      JSON.stringify({
        _event: "spectate",
        _seq: 1,
        guild_id: guild,
        include_logs: Math.random() < 0.7,
      }),
    );
    const r = Math.random();
    if (r < 0.3) {
      ws.send(
        JSON.stringify({ _event: "pool_all_request", _seq: 3, type: "channel", guild_id: guild }),
      );
    } else if (r < 0.5) {
      ws.send(
        JSON.stringify({
          _event: "ping",
          action: 3001,
          guildId: Math.floor(Math.random() * 1e6),
          messageId: 0,
          content: "!poll a, b",
        }),
      );
    } else if (r < 0.6) {
      ws.send(JSON.stringify({ _event: "logs_request", _seq: 5, guild_id: guild, limit: 100 }));
    }
  };
  ws.onmessage = () => {
    received++;
  };
  ws.onclose = () => conns.delete(conn);
  ws.onerror = () => {};
}

function churn(): void {
  const list = [...conns];
  const drop = Math.ceil(list.length / 10);
  for (let i = 0; i < drop; i++) {
    const c = list[Math.floor(Math.random() * list.length)]!;
    if (Math.random() < 0.5) c.ws.close(1000);
    else {
      // "Abrupt": close without waiting for anything more from us.
      c.ws.close(4000, "gone");
    }
    conns.delete(c);
  }
  while (conns.size < target) open();
}

async function metrics(): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const pick = (name: string) => {
    let sum = 0;
    for (const line of text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Number(line.slice(line.lastIndexOf(" ") + 1));
      }
    }
    return sum;
  };
  return {
    connections: pick("gateway_connections"),
    bindings: pick("gateway_bus_bindings"),
    pending: pick("gateway_pending_requests"),
    heapMiB: pick("deno_heap_used_bytes") / 1048576,
    logSent: pick("gateway_log_events_sent_total"),
  };
}

function rssMiB(): number {
  const status = Deno.readTextFileSync(`/proc/${server.pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const samples: Array<Record<string, number>> = [];
const started = Date.now();
const end = started + minutes * 60_000;
let nextSample = started;
while (conns.size < target) open();
while (Date.now() < end) {
  churn();
  if (Date.now() >= nextSample) {
    const m = await metrics();
    samples.push({
      t: Math.round((Date.now() - started) / 1000),
      rssMiB: Math.round(rssMiB()),
      ...m,
      opened,
      received,
    });
    console.log(JSON.stringify(samples.at(-1)));
    nextSample += 10_000;
  }
  await new Promise((r) => setTimeout(r, 1000));
}
for (const c of conns) c.ws.close(1000);
await new Promise((r) => setTimeout(r, 3000));
const after = await metrics();
server.kill("SIGTERM");
await server.status;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const rss = samples.map((s) => s.rssMiB!);
const fifth = Math.max(1, Math.floor(rss.length / 5));
const middle = mean(rss.slice(2 * fifth, 3 * fifth));
const last = mean(rss.slice(-fifth));
const growth = middle > 0 ? (last - middle) / middle : 0;
const plateau = growth < 0.15;
const released = after.connections === 0 && after.bindings === 0 && after.pending === 0;
const result = {
  at: new Date().toISOString(),
  minutes,
  connections: target,
  logRate,
  opened,
  framesReceived: received,
  rssMiddleMiB: Math.round(middle),
  rssLastMiB: Math.round(last),
  growth: Number(growth.toFixed(3)),
  plateau,
  afterClientsLeft: after,
  released,
  samples,
};
const out = new URL(`../results/soak-${minutes}m`, import.meta.url);
await Deno.mkdir(new URL("../results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(`${out.pathname}.json`, JSON.stringify(result, null, 2) + "\n");
writeChart(result as unknown as SoakResult, `${out.pathname}.svg`);
const table = samples.map((s) =>
  `| ${s.t} | ${s.rssMiB} | ${
    s.heapMiB!.toFixed(1)
  } | ${s.connections} | ${s.bindings} | ${s.pending} |`
);
await Deno.writeTextFile(
  `${out.pathname}.md`,
  `# Soak, ${minutes} minutes\n\n${target} connections churning 10%/s, ${logRate} log events/s, ${opened} connections opened in all.\n\n` +
    `RSS middle fifth ${Math.round(middle)} MiB, last fifth ${Math.round(last)} MiB (growth ${
      (growth * 100).toFixed(1)
    }%): ` +
    `${plateau ? "plateau" : "NO PLATEAU"}. After the clients left: ${JSON.stringify(after)} (${
      released ? "released" : "NOT RELEASED"
    }).\n\n` +
    `![memory over time](soak-${minutes}m.svg)\n\n` +
    `| s | RSS MiB | heap MiB | connections | bindings | pending |\n| --- | --- | --- | --- | --- | --- |\n${
      table.join("\n")
    }\n`,
);
console.log(JSON.stringify({ plateau, growth, released }));
Deno.exit(plateau && released ? 0 : 1);
