/**
 * Sign-out revokes: the user's connections are demoted on every node, and
 * the same token cannot elevate again anywhere until it expires, including
 * on a node that was reconnecting at that moment or starts later.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { DEMOTE_TOPIC, REVOCATION_LOG } from "../gateway/bus/mod.ts";
import { waitFor } from "../testing/wait_for.ts";
import { closeConnectionsNamed, deleteQueues } from "./_helpers/broker.ts";
import {
  AMQP_TEST_URL,
  captured,
  dataset,
  startTestNode,
  type TestNode,
  tokenFor,
  wsUrl,
} from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import { WsClient } from "./_helpers/ws_client.ts";

const MEMBER = dataset().demoUsers.member.id;
const ADMIN = dataset().demoUsers.architusAdmin.id;

/** Whether `token` elevates a fresh connection to `node`, by cookie and by request_elevation. */
async function elevates(node: TestNode, token: string): Promise<[boolean, boolean]> {
  const byCookie = await WsClient.connect(wsUrl(node), { cookie: `dev-token=${token}` });
  const cookie = (await byCookie.ask({ _event: "session", _seq: 1 })).elevated === true;
  const answer = await byCookie.ask({ _event: "request_elevation", _seq: 2, token });
  await byCookie.close();
  return [cookie, answer.result === true];
}

Deno.test("a signed-out token no longer elevates, by cookie, request_elevation or a request's own token", async () => {
  await withNode({}, async (node, clients) => {
    const old = await tokenFor(MEMBER, { now: Date.now() - 60_000 });
    const c = await WsClient.connect(wsUrl(node), { cookie: `dev-token=${old}` });
    const other = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(ADMIN)}`,
    });
    clients.push(c, other);
    await c.ask({ _event: "spectate", _seq: 1, guild_id: DEMO_GUILD_IDS.architusDemo });
    await node.gateway.signOut(MEMBER);
    assert.equal((await c.next((f) => f._event === "demoted")).reason, "signed_out");
    assert.deepEqual(await elevates(node, old), [false, false]);
    const refused = await c.ask({ _event: "request_elevation", _seq: 3, token: old });
    assert.match(refused.message as string, /revoked/);
    const perRequest = await other.ask({
      _event: "pool_request",
      _seq: 4,
      type: "user",
      ids: [MEMBER],
      token: old,
    });
    assert.equal((perRequest.error as { error: string }).error, "invalid_token");
    const anonymous = await WsClient.connect(wsUrl(node));
    clients.push(anonymous);
    const oneShot = await anonymous.ask({
      _event: "pool_request",
      _seq: 5,
      type: "user",
      ids: [MEMBER],
      token: old,
    });
    assert.equal((oneShot.error as { error: string }).error, "invalid_token");
    // Signing in again gives a new token, issued after the sign-out: it works.
    const fresh = await tokenFor(MEMBER, { now: Date.now() + 1000 });
    assert.deepEqual(await elevates(node, fresh), [true, true]);
    assert.equal((await other.ask({ _event: "session", _seq: 6 })).elevated, true, "others stay");
  });
});

Deno.test("sign-out messages of the wrong shape are logged and counted, a numeric user id is read exactly", async () => {
  await withNode({}, async (node, clients) => {
    const from = captured.length;
    await node.bus.publish(DEMOTE_TOPIC, "not json");
    await node.bus.append(REVOCATION_LOG, JSON.stringify({ user_id: "x", revoked_at: 1 }));
    await waitFor(() => node.gateway.signOuts.counters.malformed === 2);
    const warned = captured.slice(from).filter((l) => l.includes("malformed sign-out"));
    assert.equal(warned.length, 2);
    // The REST API writes Discord ids as JSON numbers beyond 2^53.
    const c = await WsClient.connect(wsUrl(node), {
      cookie: `dev-token=${await tokenFor(MEMBER, { now: Date.now() - 1000 })}`,
    });
    clients.push(c);
    await node.bus.publish(DEMOTE_TOPIC, `{"user_id": ${MEMBER}}`);
    assert.equal((await c.next((f) => f._event === "demoted")).reason, "signed_out");
  });
});

Deno.test({
  name:
    "deno task signout revokes on every node: one reconnecting to the broker meanwhile, and one started later",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `s${crypto.randomUUID().slice(0, 8)}`;
    const env = { AMQP_URL: AMQP_TEST_URL, BUS_NAMESPACE: ns };
    const a = await startTestNode(env);
    const b = await startTestNode(env);
    const nodes = [a, b];
    const clients: WsClient[] = [];
    try {
      const old = await tokenFor(MEMBER, { now: Date.now() - 60_000 });
      const onA = await WsClient.connect(wsUrl(a), { cookie: `dev-token=${old}` });
      const onB = await WsClient.connect(wsUrl(b), { cookie: `dev-token=${old}` });
      clients.push(onA, onB);
      // B loses its broker connection just as the sign-out is made.
      const name = `gateway:${ns}:${b.gateway.config.nodeId}`;
      assert.ok(await closeConnectionsNamed(name) >= 1, "B's connection was cut");
      const cli = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "tools/signout.ts", MEMBER],
        cwd: new URL("../", import.meta.url),
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(cli.code, 0, new TextDecoder().decode(cli.stderr));
      assert.match(new TextDecoder().decode(cli.stderr), /signed out/);
      for (const c of [onA, onB]) {
        const demoted = await c.next((f) => f._event === "demoted", { timeoutMs: 15_000 });
        assert.equal(demoted.reason, "signed_out");
      }
      await waitFor(() => b.gateway.bus.ready, { message: "B is back" });
      const c = await startTestNode(env);
      nodes.push(c);
      for (const node of nodes) assert.deepEqual(await elevates(node, old), [false, false]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      for (const node of nodes) await node.shutdown(1000);
      await deleteQueues(`${ns}.gateway.revocations`);
    }
  },
});
