import assert from "node:assert/strict";
import { protocolDocumentText } from "../tools/protocol_doc.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { MemoryBus } from "../gateway/bus/mod.ts";
import { refusalFrame } from "../gateway/connection/refusal.ts";
import { GatewayError } from "../gateway/errors.ts";
import { errorBody } from "../gateway/protocol/mod.ts";
import { dataset, startTestNode, tokenFor, wsUrl } from "./_helpers/node.ts";
import { serveSlowBackend } from "./_helpers/slow_backend.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const DEMO = DEMO_GUILD_IDS.architusDemo;

Deno.test("docs/protocol.schema.json is generated from the protocol schemas and up to date", async () => {
  const committed = await Deno.readTextFile(
    new URL("../docs/protocol.schema.json", import.meta.url),
  );
  assert.equal(
    committed,
    protocolDocumentText(),
    "run `deno task protocol` to regenerate docs/protocol.schema.json",
  );
});

/** The refusal frames `docs/protocol.md` shows, with `retry_after` values blanked. */
async function documentedRefusals(): Promise<string[]> {
  const doc = await Deno.readTextFile(new URL("../docs/protocol.md", import.meta.url));
  const section = doc.slice(doc.indexOf("## Errors and refusals"));
  return section.split("\n").filter((l) => l.startsWith("← {")).map((l) => normal(l.slice(2)));
}

function normal(frame: string | Record<string, unknown>): string {
  const text = typeof frame === "string" ? frame : JSON.stringify(frame);
  return text.replace(/"retry_after":[0-9.]+/g, '"retry_after":0');
}

Deno.test("docs/protocol.md shows every refusal exactly as the server sends it", async () => {
  const bus = new MemoryBus();
  await bus.start();
  const backend = await serveSlowBackend(bus, {
    delayMs: 300,
    slow: (method) => method === "pool_all_request",
  });
  const node = await startTestNode({
    MAX_IN_FLIGHT: "1",
    RATE_LIMIT_BURST: "4",
    RATE_LIMIT_PER_SECOND: "2",
    RATE_LIMIT_STRIKES: "100",
  }, { bus, embeddedBackend: false });
  const sent: string[] = [];
  const clients: WsClient[] = [];
  try {
    const cookie = `dev-token=${await tokenFor(dataset().demoUsers.member.id)}`;
    const c = await WsClient.connect(wsUrl(node), { cookie });
    clients.push(c);
    const pool = { _event: "pool_all_request", type: "channel", guild_id: DEMO };
    c.send({ ...pool, _seq: 1 });
    c.send({ ...pool, _seq: 2 }); // busy: one in flight
    c.send({ _event: "session", _seq: 3 }); // busy
    c.send({ _event: "spectate", _seq: 4, guild_id: "x" }); // invalid
    c.send({ ...pool, _seq: 5 }); // over the burst of 4
    c.send({ _event: "session", _seq: 6 });
    c.send({ _event: "session" });
    await c.next((f) => f.seq === 1 && f.finished === true);
    const fresh = await WsClient.connect(wsUrl(node));
    clients.push(fresh);
    fresh.send({ _event: "nope", _seq: 7 });
    fresh.send("nope");
    const received = [
      ...c.frames.filter((f) => f.seq !== 1),
      await fresh.next((f) => f.error === "unknown_event"),
      await fresh.next((f) => f.error === "bad_frame"),
      await fresh.ask({ ...pool, _seq: 8 }),
      await fresh.ask({ _event: "spectate", _seq: 9, guild_id: DEMO }),
    ];
    sent.push(...received.map(normal));
    // The refusals the node decides from its own state, built by the same code the node runs.
    const backlogged = new GatewayError("busy", "the answers already sent have not been read yet", {
      details: { retry_after: 1 },
      retryAfter: 1,
    });
    const overloaded = new GatewayError("overloaded", "node is over its send budget", {
      details: { retry_after: 1 },
      retryAfter: 1,
    });
    sent.push(
      normal(refusalFrame("pool_all_request", 14, backlogged.toBody())),
      normal(refusalFrame("pool_all_request", 15, overloaded.toBody())),
      normal(refusalFrame("session", 16, errorBody("draining", "node is restarting"))),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await node.shutdown(1000);
    await backend.stop();
  }
  const documented = await documentedRefusals();
  assert.deepEqual(
    [...documented].sort(),
    [...new Set(sent)].sort(),
    "the documented refusals are the ones sent",
  );
});
