import assert from "node:assert/strict";
import type { Transport } from "../gateway/transport/mod.ts";
import { waitFor } from "./wait_for.ts";

/** A transport under test, with the far end's view of it. */
export interface TransportUnderTest {
  readonly transport: Transport;
  /** Text frames the far end received so far. */
  received(): readonly string[];
  /** The close code the far end saw, or null while open. */
  closedWith(): number | null;
  dispose(): Promise<void>;
}

/**
 * The contract every `Transport` keeps: frames arrive in order, a close
 * carries its code, closing is idempotent, and sending after a close is a
 * silent no-op (never a throw).
 */
export function runTransportContract(name: string, make: () => Promise<TransportUnderTest>): void {
  const test = (title: string, fn: (t: TransportUnderTest) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async () => {
      const t = await make();
      try {
        await fn(t);
      } finally {
        await t.dispose();
      }
    });

  test("delivers text frames in order while open", async (t) => {
    assert.equal(t.transport.open, true);
    for (let i = 0; i < 100; i++) t.transport.send(`frame ${i}`);
    await waitFor(() => t.received().length === 100);
    assert.deepEqual(t.received(), Array.from({ length: 100 }, (_, i) => `frame ${i}`));
    assert.ok(t.transport.bufferedAmount >= 0);
  });

  test("closes with the given code, once", async (t) => {
    t.transport.close(4009, "slow consumer");
    t.transport.close(1000, "again");
    assert.equal(t.transport.open, false);
    await waitFor(() => t.closedWith() !== null);
    assert.equal(t.closedWith(), 4009);
  });

  test("drops frames sent after a close without throwing", async (t) => {
    t.transport.send("before");
    t.transport.close(1012, "restart");
    t.transport.send("after");
    await waitFor(() => t.closedWith() !== null);
    assert.deepEqual(t.received().filter((x) => x === "after"), []);
  });
}
