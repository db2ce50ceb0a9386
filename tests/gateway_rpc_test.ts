/**
 * The `gateway_rpc` server, as the Architus REST API uses it over the real
 * broker: its blocking client (a stand-in that publishes and re-publishes
 * as the original does) registers sign-in nonces and signs users out; the
 * browser elevates with a nonce on whichever node it reaches, once.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RestRpcClient } from "../testing/rest_rpc_client.ts";
import { sleep } from "../testing/wait_for.ts";
import { deleteQueues } from "./_helpers/broker.ts";
import {
  AMQP_TEST_URL,
  dataset,
  startTestNode,
  type TestNode,
  tokenFor,
  wsUrl,
} from "./_helpers/node.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const MEMBER = dataset().demoUsers.member.id;
const ADMIN = dataset().demoUsers.architusAdmin.id;

/** A nonce as the REST API draws it: `randbits(32)`. */
const drawNonce = (): number => crypto.getRandomValues(new Uint32Array(1))[0]!;

/** Nodes, clients and the REST stand-in on one fresh namespace, released and deleted after `fn`. */
async function onBroker(
  env: Record<string, string>,
  fn: (ctx: {
    ns: string;
    env: Record<string, string>;
    rest: RestRpcClient;
    node: () => Promise<TestNode>;
    browser: (node: TestNode, cookie?: string) => Promise<WsClient>;
    nonces: number[];
  }) => Promise<void>,
): Promise<void> {
  const ns = `rpc${crypto.randomUUID().slice(0, 8)}`;
  const fullEnv = { AMQP_URL: AMQP_TEST_URL, BUS_NAMESPACE: ns, ...env };
  const nodes: TestNode[] = [];
  const clients: WsClient[] = [];
  const nonces: number[] = [];
  const rest = await RestRpcClient.connect(AMQP_TEST_URL, { namespace: ns });
  try {
    await fn({
      ns,
      env: fullEnv,
      rest,
      nonces,
      node: async () => {
        const node = await startTestNode(fullEnv);
        nodes.push(node);
        return node;
      },
      browser: async (node, cookie) => {
        const c = await WsClient.connect(
          wsUrl(node),
          cookie ? { cookie: `dev-token=${cookie}` } : {},
        );
        clients.push(c);
        return c;
      },
    });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    for (const node of nodes) await node.shutdown(1000);
    await rest.close();
    await deleteQueues(
      `${ns}.gateway.revocations`,
      `${ns}.gateway_rpc`,
      ...nonces.map((n) => `${ns}.gateway_nonce.${n}`),
    );
  }
}

const broker = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });

broker(
  "a nonce the REST API registers through one node elevates a browser on another node, once",
  async () => {
    await onBroker({}, async ({ rest, node, browser, nonces }) => {
      const a = await node();
      const nonce = drawNonce();
      nonces.push(nonce);
      const token = await tokenFor(MEMBER);
      assert.deepEqual(await rest.call("register_nonce", [nonce, token]), {
        sc: 200,
        resp: { message: "registered" },
      });
      // B starts after the registration and never saw the call: the broker holds the nonce.
      const b = await node();
      const onB = await browser(b);
      const elevated = await onB.ask({ _event: "request_elevation", _seq: 1, nonce });
      assert.equal(elevated.result, true, String(elevated.message));
      assert.equal(elevated.user_id, MEMBER);
      assert.equal((await onB.ask({ _event: "session", _seq: 2 })).elevated, true);
      // The same nonce a second time, on either node and in either form, is refused.
      const onA = await browser(a);
      const again = await onA.ask({ _event: "request_elevation", _seq: 3, token: nonce });
      assert.equal(again.result, false);
      assert.match(String(again.message), /unknown_nonce/);
      const third = await onB.ask({ _event: "request_elevation", _seq: 4, nonce: String(nonce) });
      assert.equal(third.result, false);
    });
  },
);

broker(
  "the original bare nonce elevates, and a nonce registered twice still elevates once",
  async () => {
    await onBroker({}, async ({ rest, node, browser, nonces }) => {
      const a = await node();
      const b = await node();
      const nonce = drawNonce();
      nonces.push(nonce);
      const token = await tokenFor(ADMIN);
      // Two registrations of one nonce (a re-publish that both nodes answered): both succeed.
      const replies = await Promise.all([
        rest.call("register_nonce", [nonce, token]),
        rest.call("register_nonce", [nonce, token]),
      ]);
      assert.deepEqual(replies.map((r) => r.sc), [200, 200]);
      const answers = await Promise.all([a, b, a, b].map(async (node, i) => {
        const c = await browser(node);
        // The Socket.IO-era client sent the integer nonce itself.
        return (await c.ask({ _event: "request_elevation", _seq: i, token: nonce })).result;
      }));
      assert.deepEqual(answers.filter((r) => r === true).length, 1, JSON.stringify(answers));
    });
  },
);

broker(
  "the REST API's client re-publishes until a node serves gateway_rpc, then the nonce works",
  async () => {
    await onBroker({}, async ({ rest, node, browser, nonces }) => {
      const nonce = drawNonce();
      nonces.push(nonce);
      const token = await tokenFor(MEMBER);
      // Nothing serves the queue yet: the broker drops the calls until a node starts.
      const call = rest.call("register_nonce", [nonce, token], { republishMs: 200 });
      await sleep(700);
      const a = await node();
      assert.deepEqual((await call).resp, { message: "registered" });
      assert.ok(rest.published >= 3, `published ${rest.published} times`);
      const c = await browser(a);
      assert.equal((await c.ask({ _event: "request_elevation", _seq: 1, nonce })).result, true);
    });
  },
);

broker("a nonce no longer elevates after its TTL", async () => {
  await onBroker({ NONCE_TTL_SECONDS: "1" }, async ({ rest, node, browser, nonces }) => {
    const a = await node();
    const nonce = drawNonce();
    nonces.push(nonce);
    await rest.call("register_nonce", [nonce, await tokenFor(MEMBER)]);
    await sleep(1300);
    const c = await browser(a);
    const late = await c.ask({ _event: "request_elevation", _seq: 1, nonce });
    assert.equal(late.result, false);
    assert.match(String(late.message), /unknown_nonce/);
  });
});

broker(
  "demote_connection demotes the token's user on both nodes, even with an expired token",
  async () => {
    await onBroker({}, async ({ rest, node, browser }) => {
      const [a, b] = [await node(), await node()];
      const current = await tokenFor(MEMBER, { now: Date.now() - 60_000 });
      const onA = await browser(a, current);
      const onB = await browser(b, current);
      const other = await browser(b, await tokenFor(ADMIN));
      // The REST API signs out with the cookie it holds, which may have expired long ago.
      const expired = await tokenFor(MEMBER, { now: Date.now() - 3 * 3600_000, ttlSeconds: 3600 });
      assert.deepEqual(await rest.call("demote_connection", [expired]), {
        sc: 200,
        resp: { message: "demoted" },
      });
      for (const c of [onA, onB]) {
        assert.equal((await c.next((f) => f._event === "demoted")).reason, "signed_out");
      }
      assert.equal((await other.ask({ _event: "session", _seq: 1 })).elevated, true, "others stay");
      // Tokens issued before the sign-out no longer elevate anywhere.
      const retry = await onA.ask({ _event: "request_elevation", _seq: 2, token: current });
      assert.match(String(retry.message), /revoked/);
    });
  },
);

broker("gateway_rpc answers bad calls as the original: 400 with a message", async () => {
  await onBroker({}, async ({ rest, node }) => {
    await node();
    const forged = await tokenFor(MEMBER, { secret: "not-the-secret-0123456789-0123456789" });
    const badToken = await rest.call("demote_connection", [forged]);
    assert.equal(badToken.sc, 400);
    assert.match((badToken.resp as { message: string }).message, /bad_signature/);
    const invalid = { sc: 400, resp: { message: "invaild arguments" } };
    assert.deepEqual(await rest.call("free_elevation", ["x"]), invalid);
    assert.deepEqual(await rest.call("register_nonce", ["not a nonce", "t"]), invalid);
    assert.deepEqual(await rest.call("register_nonce", [1]), invalid);
    assert.deepEqual(await rest.call("demote_connection", [42]), invalid);
  });
});
