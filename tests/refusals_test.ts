/**
 * A refused request still ends: every limit answers the request it refused,
 * with its `seq`, as the protocol promises.
 *
 * @module
 */
import assert from "node:assert/strict";
import { MemoryBus } from "../gateway/bus/mod.ts";
import { AnyServerFrame } from "../gateway/protocol/mod.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";
import { dataset, startTestNode, tokenFor, wsUrl } from "./_helpers/node.ts";
import { serveSlowBackend } from "./_helpers/slow_backend.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const DEMO = dataset().guilds.find((g) => g.name === "Architus Demo")!.id;
const MEMBER = dataset().demoUsers.member.id;

/** True for the frame that ends a request: its answer, its error, or its last pool chunk. */
function terminal(frame: Record<string, unknown>): boolean {
  return frame._event !== "pool_response" || frame.finished === true;
}

Deno.test("every request past the in-flight and rate limits ends with one terminal frame carrying its seq", async () => {
  const bus = new MemoryBus();
  await bus.start();
  const backend = await serveSlowBackend(bus, {
    delayMs: 400,
    slow: (method) => method === "pool_all_request",
  });
  const node = await startTestNode({
    MAX_IN_FLIGHT: "2",
    RATE_LIMIT_BURST: "8",
    RATE_LIMIT_PER_SECOND: "1",
    RATE_LIMIT_STRIKES: "1000",
  }, { bus, embeddedBackend: false });
  const c = await WsClient.connect(wsUrl(node), { cookie: `dev-token=${await tokenFor(MEMBER)}` });
  try {
    // 14 requests at once: 8 pass the rate limit (2 pool requests stay in flight, so the
    // requests after them are busy), the other 6 are rate limited. One has no seq.
    const sent: number[] = [];
    for (let seq = 1; seq <= 14; seq++) {
      const frame = seq % 3 === 0
        ? { _event: "session", _seq: seq }
        : { _event: "pool_all_request", _seq: seq, type: "channel", guild_id: DEMO };
      c.send(frame);
      sent.push(seq);
    }
    c.send({ _event: "session" });
    await waitFor(() => sent.every((seq) => c.frames.some((f) => f.seq === seq && terminal(f))), {
      timeoutMs: 5000,
      message: "every request ended",
    });
    await sleep(600); // anything late or doubled would arrive by now
    const reasons = new Map<string, number>();
    for (const seq of sent) {
      const ends = c.frames.filter((f) => f.seq === seq && terminal(f));
      assert.equal(ends.length, 1, `exactly one terminal frame for seq ${seq}`);
      const end = ends[0]!;
      assert.ok(AnyServerFrame.safeParse(end).success, JSON.stringify(end));
      const error = (end._event === "pool_response" ? end.error : end) as
        | { error?: string; retry_after?: number }
        | undefined;
      const reason = error?.error ?? "answered";
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      if (reason === "rate_limited") {
        assert.ok(typeof error!.retry_after === "number" && error!.retry_after > 0);
      }
      // Pool requests always end with a finished pool_response, refused or not.
      if (seq % 3 !== 0) assert.equal(end._event, "pool_response", `seq ${seq}`);
    }
    assert.equal(reasons.get("rate_limited"), 6, JSON.stringify([...reasons]));
    assert.ok((reasons.get("busy") ?? 0) >= 4, JSON.stringify([...reasons]));
    assert.equal(reasons.get("answered"), 8 - (reasons.get("busy") ?? 0));
    // The frame without a seq is refused without one.
    const unnamed = c.frames.filter((f) => f._event === "error" && f.seq === undefined);
    assert.equal(unnamed.length, 1);
    assert.equal(unnamed[0]!.error, "rate_limited");
    assert.ok(node.gateway.counters.busy >= 4);
  } finally {
    await c.close();
    await node.shutdown(1000);
    await backend.stop();
  }
});

Deno.test("an abuse close is a real close: the answers already sent arrive, then code 4008", async () => {
  const node = await startTestNode({
    RATE_LIMIT_BURST: "5",
    RATE_LIMIT_PER_SECOND: "1",
    RATE_LIMIT_STRIKES: "10",
  });
  const c = await WsClient.connect(wsUrl(node));
  try {
    // A burst far past the limit, all in flight while the server decides to close.
    for (let seq = 1; seq <= 300; seq++) c.send({ _event: "session", _seq: seq });
    const closed = await c.closed;
    assert.equal(closed.code, 4008, "the client received the close code");
    const answered = c.frames.filter((f) => f._event === "session_return").length;
    const refused = c.frames.filter((f) => f.error === "rate_limited").length;
    assert.equal(answered, 5, "the burst allowance was answered");
    assert.equal(refused, 9, "every refusal before the tenth strike arrived");
    assert.ok(c.frames.every((f) => typeof f.seq === "number"), "each names its request");
  } finally {
    await node.shutdown(1000);
  }
});
