/**
 * A swarm of reading spectators in its own process, so the test process
 * measures the gateway rather than its own clients. Usage:
 *   deno run -A reader_swarm.ts <ws-url> <cookie> <guild> <count> <durationMs>
 * Opens `count` connections, spectates with logs, records for every event
 * the delay from its timestamp to receipt, and prints one JSON line:
 * {"connected", "events", "frames", "p50", "p99", "max"} (latencies in milliseconds).
 */
const [url, cookie, guild, countText, durationText] = Deno.args;
const count = Number(countText);
const duration = Number(durationText);
const latencies: number[] = [];
let connected = 0;
let events = 0;
const sockets: WebSocket[] = [];
for (let i = 0; i < count; i++) {
  const ws = new WebSocket(url!, { headers: { cookie: cookie! } } as unknown as string[]);
  sockets.push(ws);
  ws.onopen = () => {
    ws.send(JSON.stringify({ _event: "spectate", _seq: 1, guild_id: guild, include_logs: true }));
  };
  ws.onmessage = (e) => {
    const text = String(e.data);
    // Cheap scanning instead of JSON.parse: this process must not be the bottleneck.
    if (text.startsWith('{"_event":"spectate_return"')) connected++;
    if (!text.startsWith('{"_event":"log_other"')) return;
    const now = Date.now();
    events += text.split('"timestamp":').length - 1;
    // Sample one event per frame: the oldest, i.e. the worst delay in the batch.
    const m = /"timestamp":(\d+)/.exec(text);
    if (m) latencies.push(now - Number(m[1]));
  };
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
}
const deadline = Date.now() + 10_000;
while (connected < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
Deno.stdout.writeSync(new TextEncoder().encode(`ready ${connected}\n`));
await new Promise((r) => setTimeout(r, duration));
latencies.sort((a, b) => a - b);
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? -1;
const result = {
  connected,
  events,
  frames: latencies.length,
  p50: at(0.5),
  p99: at(0.99),
  max: latencies.at(-1) ?? -1,
};
for (const ws of sockets) ws.close();
await new Promise((r) => setTimeout(r, 200));
Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(result) + "\n"));
Deno.exit(0);
