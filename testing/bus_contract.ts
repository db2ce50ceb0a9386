import assert from "node:assert/strict";
import { type Bus, BusError } from "../gateway/bus/mod.ts";
import { sleep, waitFor } from "./wait_for.ts";

/** Two buses on one broker, as two nodes would have, and a way to release them. */
export interface BusPair {
  readonly a: Bus;
  readonly b: Bus;
  close(): Promise<void>;
  /** Deletes a durable log a test made (a broker keeps them otherwise). */
  dropLog?(log: string): Promise<void>;
  /** Deletes what a claim ticket left on the broker (it would expire by itself). */
  dropTicket?(name: string): Promise<void>;
}

/**
 * The contract every `Bus` implementation passes. `makePair` builds two
 * started buses sharing one broker; each call must use fresh names so runs
 * never see each other's messages.
 */
export function runBusContract(name: string, makePair: () => Promise<BusPair>): void {
  const test = (title: string, fn: (pair: BusPair, ns: string) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async () => {
      const pair = await makePair();
      const ns = `t${crypto.randomUUID().slice(0, 8)}`;
      try {
        await fn(pair, ns);
      } finally {
        await pair.close();
      }
    });

  test("delivers published messages in order to an exact subscriber", async ({ a }, ns) => {
    const got: string[] = [];
    await a.subscribe(`${ns}.guild.1.pool`, (_t, body) => got.push(body));
    for (let i = 0; i < 200; i++) await a.publish(`${ns}.guild.1.pool`, String(i));
    await waitFor(() => got.length === 200, { message: "200 messages" });
    assert.deepEqual(got, Array.from({ length: 200 }, (_, i) => String(i)));
  });

  test("matches * and # patterns and nothing else", async ({ a }, ns) => {
    const star: string[] = [];
    const hash: string[] = [];
    await a.subscribe(`${ns}.guild.*.pool`, (topic) => star.push(topic));
    await a.subscribe(`${ns}.guild.2.#`, (topic) => hash.push(topic));
    const topics = [
      `${ns}.guild.1.pool`,
      `${ns}.guild.2.pool`,
      `${ns}.guild.2.log.private`,
      `${ns}.guild.2`,
      `${ns}.guild.3.log.public`,
    ];
    for (const t of topics) await a.publish(t, "x");
    await a.publish(`${ns}.end`, "x");
    await waitFor(() => star.length >= 2 && hash.length >= 3, { message: "pattern deliveries" });
    await sleep(100);
    assert.deepEqual(star.sort(), [`${ns}.guild.1.pool`, `${ns}.guild.2.pool`]);
    assert.deepEqual(
      hash.sort(),
      [`${ns}.guild.2`, `${ns}.guild.2.log.private`, `${ns}.guild.2.pool`].sort(),
    );
  });

  test("stops delivering after unsubscribe", async ({ a }, ns) => {
    const got: string[] = [];
    const sub = await a.subscribe(`${ns}.x`, (_t, body) => got.push(body));
    await a.publish(`${ns}.x`, "1");
    await waitFor(() => got.length === 1);
    await sub.unsubscribe();
    await sub.unsubscribe();
    await a.publish(`${ns}.x`, "2");
    await sleep(150);
    assert.deepEqual(got, ["1"]);
  });

  test("carries messages between two nodes on one broker", async ({ a, b }, ns) => {
    const got: string[] = [];
    await b.subscribe(`${ns}.demote`, (_t, body) => got.push(body));
    await a.publish(`${ns}.demote`, '{"user_id":"1"}');
    await waitFor(() => got.length === 1, { message: "cross-node message" });
    assert.equal(got[0], '{"user_id":"1"}');
  });

  test("answers requests with the matching reply under concurrency", async ({ a, b }, ns) => {
    await b.serve(`${ns}_rpc`, async (body) => {
      await sleep(Math.random() * 20);
      return `re:${body}`;
    });
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => a.request(`${ns}_rpc`, `q${i}`, { timeoutMs: 5000 })),
    );
    assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => `re:q${i}`));
  });

  test("rejects a request nobody serves within its deadline", async ({ a }, ns) => {
    const started = Date.now();
    await assert.rejects(
      a.request(`${ns}_nobody`, "q", { timeoutMs: 500 }),
      (e) => e instanceof BusError && (e.kind === "unavailable" || e.kind === "timeout"),
    );
    assert.ok(Date.now() - started < 2000, "settled near its deadline");
  });

  test("times out a slow server with a timeout error", async ({ a, b }, ns) => {
    await b.serve(`${ns}_slow`, async (body) => {
      await sleep(800);
      return body;
    });
    const started = Date.now();
    await assert.rejects(
      a.request(`${ns}_slow`, "q", { timeoutMs: 200 }),
      (e) => e instanceof BusError && e.kind === "timeout",
    );
    const took = Date.now() - started;
    assert.ok(took >= 150 && took < 700, `took ${took} ms`);
    await sleep(800);
  });

  test("rejects at once when the caller aborts", async ({ a, b }, ns) => {
    await b.serve(`${ns}_abort`, async (body) => {
      await sleep(300);
      return body;
    });
    const controller = new AbortController();
    const call = a.request(`${ns}_abort`, "q", { timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(call, (e) => e instanceof BusError && e.kind === "aborted");
    await sleep(350);
  });

  test(
    "reads a durable log from its start, in order, for readers old and new",
    async (pair, ns) => {
      const { a, b } = pair;
      const log = `${ns}.revocations`;
      try {
        for (let i = 0; i < 3; i++) await a.append(log, `r${i}`);
        const early: string[] = [];
        const reader = await b.readLog(log, (name, body) => {
          assert.equal(name, log);
          early.push(body);
        });
        await waitFor(() => early.length === 3, { message: "the records before the reader" });
        for (let i = 3; i < 5; i++) await a.append(log, `r${i}`);
        await waitFor(() => early.length === 5, { message: "the records after it" });
        assert.deepEqual(early, ["r0", "r1", "r2", "r3", "r4"]);
        // A reader that was away (unsubscribed) reads everything again from the start.
        await reader.unsubscribe();
        await a.append(log, "r5");
        const late: string[] = [];
        const again = await b.readLog(log, (_n, body) => late.push(body));
        await waitFor(() => late.length === 6, { message: "a late reader reads it all" });
        assert.deepEqual(late, ["r0", "r1", "r2", "r3", "r4", "r5"]);
        await again.unsubscribe();
        await sleep(50);
        assert.equal(early.length, 5, "an unsubscribed reader reads nothing more");
      } finally {
        await pair.dropLog?.(log);
      }
    },
  );

  test("hands a claim ticket to exactly one of several concurrent claims", async (pair, ns) => {
    const { a, b } = pair;
    const name = `${ns}.ticket`;
    try {
      await a.stash(name, "the token", 10_000);
      const claims = await Promise.all([a, b, a, b, b, a].map((bus) => bus.claim(name)));
      assert.deepEqual(claims.filter((c) => c !== null), ["the token"]);
      assert.equal(await b.claim(name), null, "a claimed ticket is gone");
    } finally {
      await pair.dropTicket?.(name);
    }
  });

  test("keeps the first stash of a name, also after it was claimed", async (pair, ns) => {
    const { a, b } = pair;
    const name = `${ns}.ticket`;
    try {
      await Promise.all([a.stash(name, "first", 10_000), b.stash(name, "second", 10_000)]);
      await a.stash(name, "third", 10_000);
      const body = await b.claim(name);
      assert.ok(body === "first" || body === "second", `one of the racing stashes: ${body}`);
      await a.stash(name, "re-sent", 10_000);
      assert.equal(await a.claim(name), null, "a re-sent stash does not arm a spent ticket");
      assert.equal(await b.claim(name), null);
    } finally {
      await pair.dropTicket?.(name);
    }
  });

  test("claims nothing for an unknown name or past the ticket's TTL", async (pair, ns) => {
    const { a, b } = pair;
    const name = `${ns}.ticket`;
    try {
      assert.equal(await b.claim(`${ns}.never`), null);
      await a.stash(name, "short-lived", 300);
      await sleep(600);
      assert.equal(await b.claim(name), null);
    } finally {
      await pair.dropTicket?.(name);
    }
  });

  test("reports readiness and refuses work after shutdown", async ({ a }, ns) => {
    assert.equal(a.ready, true);
    const seen: boolean[] = [];
    a.onReadyChange((r) => seen.push(r));
    await a.shutdown();
    assert.equal(a.ready, false);
    assert.deepEqual(seen, [false]);
    await assert.rejects(a.publish(`${ns}.x`, "1"), BusError);
    await assert.rejects(a.request(`${ns}_q`, "1", { timeoutMs: 100 }), BusError);
    await assert.rejects(a.append(`${ns}.log`, "1"), BusError);
    await assert.rejects(a.stash(`${ns}.ticket`, "1", 1000), BusError);
    await assert.rejects(a.claim(`${ns}.ticket`), BusError);
  });
}
