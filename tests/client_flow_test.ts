/**
 * The browser client library (`client/mod.ts`) against a REAL gateway node:
 * connection, elevation (token and cookie), spectate, pool assembly,
 * reconnects after server-side closes and restarts, the Redux adapter and
 * the PoolCache. Every test closes its clients and nodes in `finally`.
 */
import assert from "node:assert/strict";
import {
  type Action,
  type ConnectionState,
  createGatewayMiddleware,
  GATEWAY_EVENT,
  GATEWAY_REQUEST_FAILURE,
  GATEWAY_REQUEST_SUCCESS,
  GATEWAY_STATE,
  GatewayClient,
  type GatewayClientOptions,
  type GatewayEventAction,
  type GatewayFailureAction,
  gatewayRequest,
  GatewayRequestError,
  type GatewayStateAction,
  type GatewaySuccessAction,
  PoolCache,
  type PoolResult,
  type ServerFrameOf,
  type StateDetail,
} from "../client/mod.ts";
import type { TestNode } from "./_helpers/node.ts";
import type { Connection as Session } from "../gateway/connection/connection.ts";
import { MemoryBus } from "../gateway/bus/mod.ts";
import { answerRpc, backendMethods } from "../gateway/backend/backend_server.ts";
import { DEMO_GUILD_IDS, DemoBackend } from "../demo/mod.ts";
import { dataset, startTestNode, tokenFor, wsUrl } from "./_helpers/node.ts";
import { sleep, waitFor } from "../testing/wait_for.ts";

const users = dataset().demoUsers;
const MEMBER = users.member.id;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const BIG = DEMO_GUILD_IDS.bigGuild;
const LOUNGE = DEMO_GUILD_IDS.gamingLounge;

// ---------------------------------------------------------------------------
// Helpers

function newClient(
  node: TestNode,
  options: Partial<GatewayClientOptions> = {},
): GatewayClient {
  return new GatewayClient({
    url: wsUrl(node),
    backoff: { baseMs: 20, maxMs: 200 },
    requestTimeoutMs: 5000,
    ...options,
  });
}

/** A token option that mints a fresh token for `userId` before every elevation. */
function tokenOf(userId: string): () => Promise<string> {
  return () => tokenFor(userId);
}

/** Everything a `Tap` socket class saw, over all the sockets it created. */
interface Tap {
  readonly WebSocket: typeof WebSocket;
  /** Every frame the client wrote, parsed. */
  readonly sent: Array<Record<string, unknown>>;
  /** Every frame the client received and let through, parsed. */
  readonly received: Array<Record<string, unknown>>;
  /** The sockets created, in order. */
  readonly sockets: WebSocket[];
  /**
   * When set, consulted for every incoming frame: returning false swallows
   * it (the client never sees it), as if the connection died before it.
   */
  filter: ((frame: Record<string, unknown>) => boolean) | undefined;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * A WebSocket class for the client's `WebSocket` option: a real Deno
 * WebSocket that sends `headers` with the upgrade (as a browser sends its
 * cookies), records frames in both directions and can swallow incoming ones.
 */
function tapSocket(headers: Record<string, string> = {}): Tap {
  const tap: Tap = {
    WebSocket: undefined as unknown as typeof WebSocket,
    sent: [],
    received: [],
    sockets: [],
    filter: undefined,
  };
  const parse = (data: unknown): Record<string, unknown> =>
    typeof data === "string" ? JSON.parse(data) : { binary: true };
  class TapWebSocket extends WebSocket {
    readonly #wrapped = new Map<Listener, EventListener>();

    constructor(url: string | URL, _protocols?: string | string[]) {
      // Deno accepts `{ headers }` in place of the protocols.
      super(url, { headers } as unknown as string[]);
      tap.sockets.push(this);
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      tap.sent.push(parse(data));
      super.send(data);
    }

    override addEventListener(
      type: string,
      listener: Listener,
      options?: boolean | AddEventListenerOptions,
    ): void {
      if (type !== "message") {
        super.addEventListener(type, listener, options);
        return;
      }
      const wrapped: EventListener = (event) => {
        const frame = parse((event as MessageEvent).data);
        if (tap.filter !== undefined && !tap.filter(frame)) return;
        tap.received.push(frame);
        if (typeof listener === "function") listener.call(this, event);
        else listener.handleEvent(event);
      };
      this.#wrapped.set(listener, wrapped);
      super.addEventListener(type, wrapped, options);
    }

    override removeEventListener(
      type: string,
      listener: Listener,
      options?: boolean | EventListenerOptions,
    ): void {
      const wrapped = this.#wrapped.get(listener);
      super.removeEventListener(type, wrapped ?? listener, options);
    }
  }
  (tap as { WebSocket: typeof WebSocket }).WebSocket = TapWebSocket;
  return tap;
}

/** The one live server-side session, failing when there is not exactly one. */
function onlySession(node: TestNode): Session {
  const sessions = [...node.gateway.connections];
  assert.equal(sessions.length, 1, `expected one server session, got ${sessions.length}`);
  return sessions[0] as Session;
}

/** Waits for a server session other than `not` elevated for `userId` and spectating `guildId`. */
async function restoredSession(
  node: TestNode,
  userId: string,
  guildId: string,
  not?: Session,
): Promise<Session> {
  let found: Session | undefined;
  await waitFor(() => {
    found = [...node.gateway.connections].find((s) =>
      s !== not && s.principal?.userId === userId && s.spectating?.guildId === guildId
    );
    return found !== undefined;
  }, { message: `a session elevated for ${userId} spectating ${guildId}` });
  return found as Session;
}

/** Records every state change of a client. */
function recordStates(client: GatewayClient): Array<[ConnectionState, StateDetail]> {
  const states: Array<[ConnectionState, StateDetail]> = [];
  client.onState((state, detail) => states.push([state, detail]));
  return states;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayRequestError, `not a GatewayRequestError: ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

function idsOf(result: PoolResult): string[] {
  return (result.data as Array<{ id: string }>).map((e) => e.id);
}

/** A node in front of a backend double that answers pool requests only after `delayMs`. */
interface SlowSetup {
  readonly node: TestNode;
  /** Pool calls the double received. */
  readonly poolCalls: () => number;
  /** Shuts the node down, unserves the double and waits for its pending calls. */
  stop(): Promise<void>;
}

async function startSlowNode(delayMs: number): Promise<SlowSetup> {
  const bus = new MemoryBus();
  await bus.start();
  const table = backendMethods(new DemoBackend(dataset()));
  let poolCalls = 0;
  const inFlight = new Set<Promise<unknown>>();
  const subs = await Promise.all(
    [0, 1, 2, 3].map((n) =>
      bus.serve(`shard_rpc_${n}`, (body) => {
        const method = (JSON.parse(body) as { method: string }).method;
        if (!method.startsWith("pool_")) return answerRpc(table, body);
        poolCalls++;
        const call = sleep(delayMs).then(() => answerRpc(table, body));
        inFlight.add(call);
        void call.finally(() => inFlight.delete(call));
        return call;
      })
    ),
  );
  let node: TestNode;
  try {
    node = await startTestNode({ NUM_SHARDS: "4" }, { bus, embeddedBackend: false });
  } catch (error) {
    await Promise.all(subs.map((s) => s.unsubscribe()));
    await bus.shutdown();
    throw error;
  }
  return {
    node,
    poolCalls: () => poolCalls,
    async stop() {
      await node.shutdown(1000);
      await Promise.all(subs.map((s) => s.unsubscribe().catch(() => {})));
      await Promise.allSettled([...inFlight]);
    },
  };
}

// ---------------------------------------------------------------------------
// 1. Token elevation, spectate, and the 10,000-member pool

Deno.test("client: token option elevates, spectates, and assembles the 10,000-member pool in order", async () => {
  const node = await startTestNode({}, { bigGuild: true });
  const client = newClient(node, { token: tokenOf(MEMBER), requestTimeoutMs: 15_000 });
  try {
    client.connect();
    await client.ready();
    assert.equal(client.state, "open");
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    assert.ok((client.expiresAt ?? 0) > Date.now(), "expiry in the future");

    const spectated = await client.spectate(DEMO);
    assert.equal(spectated.guild_id, DEMO);
    assert.equal(spectated.tier, "member");
    assert.deepEqual(client.spectating, { guildId: DEMO, includeLogs: false });
    const session = onlySession(node);
    assert.equal(session.principal?.userId, MEMBER);
    assert.equal(session.spectating?.guildId, DEMO);

    const result = await client.request("pool_all_request", { type: "member", guild_id: BIG });
    const expected = dataset({ bigGuild: true }).guild(BIG)!.members.map((m) => m.id);
    assert.equal(result.data.length, 10_000);
    assert.deepEqual(idsOf(result), expected, "complete and in order");
    assert.deepEqual(result.nonexistent, []);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

// ---------------------------------------------------------------------------
// 2. Reconnects after the server drops the connection

Deno.test("client: a server-side 4009 close mid-request reconnects, re-elevates, re-spectates and resolves once", async () => {
  const slow = await startSlowNode(400);
  const node = slow.node;
  const tap = tapSocket();
  const client = newClient(node, { token: tokenOf(MEMBER), WebSocket: tap.WebSocket });
  try {
    const states = recordStates(client);
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    const first = onlySession(node);
    assert.equal(first.spectating?.guildId, DEMO);

    let settled = 0;
    let seq = -1;
    const pending = client.request("pool_all_request", { type: "member", guild_id: DEMO }, {
      onSeq: (s) => seq = s,
    });
    void pending.then(() => settled++, () => settled++);
    // The backend double holds the answer: the request is certainly outstanding.
    await waitFor(() => slow.poolCalls() >= 1, { message: "pool call reached the backend" });
    assert.equal(settled, 0);
    first.transport.close(4009, "slow consumer");

    const second = await restoredSession(node, MEMBER, DEMO, first);
    assert.ok(second.elevated, "re-elevated");
    const result = await pending;
    const expected = dataset().guild(DEMO)!.members.map((m) => m.id);
    assert.deepEqual(idsOf(result), expected, "complete, in order, no duplicates");
    assert.equal(new Set(idsOf(result)).size, expected.length);
    await sleep(50);
    assert.equal(settled, 1, "settled exactly once");

    assert.equal(client.state, "open");
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    assert.deepEqual(client.spectating, { guildId: DEMO, includeLogs: false });
    const reconnecting = states.find(([s]) => s === "reconnecting");
    assert.ok(reconnecting, "went through reconnecting");
    assert.equal(reconnecting[1].code, 4009);
    assert.equal(tap.sockets.length, 2, "one new socket");
    assert.equal(
      tap.sent.filter((f) => f._event === "pool_all_request" && f._seq === seq).length,
      2,
      "the request was sent once per connection",
    );
    assert.equal(
      tap.received.filter((f) => f.seq === seq && f.finished === true).length,
      1,
      "one terminal chunk reached the client",
    );
    // The restored session serves requests as usual.
    const channels = await client.request("pool_all_request", { type: "channel", guild_id: DEMO });
    assert.equal(channels.data.length, dataset().guild(DEMO)!.channels.length);
  } finally {
    await client.close();
    await slow.stop();
  }
});

Deno.test("client: a 1012 close after part of a pool arrived re-sends it and drops the repeated entities", async () => {
  const node = await startTestNode({}, { bigGuild: true });
  const tap = tapSocket();
  const client = newClient(node, {
    token: tokenOf(MEMBER),
    WebSocket: tap.WebSocket,
    requestTimeoutMs: 15_000,
  });
  try {
    client.connect();
    await client.ready();
    await client.spectate(BIG);
    const first = onlySession(node);

    // Let three chunks of the answer through, then make the connection die:
    // the rest of the chunks of that socket never reach the client.
    let seq = -1;
    let chunksSeen = 0;
    const dead = tap.sockets[0];
    tap.filter = (frame) => {
      if (tap.sockets.at(-1) !== dead) return true;
      if (frame.seq === seq && frame._event === "pool_response") chunksSeen++;
      return chunksSeen <= 3;
    };
    const chunks: Array<{ n: number; finished: boolean }> = [];
    const streamed = (async () => {
      for await (
        const chunk of client.stream("pool_all_request", { type: "member", guild_id: BIG }, {
          onSeq: (s) => seq = s,
        })
      ) chunks.push({ n: chunk.data.length, finished: chunk.finished });
    })();
    const full = client.request("pool_all_request", { type: "member", guild_id: BIG });
    await waitFor(() => chunksSeen > 3, { message: "part of the pool arrived" });
    first.transport.close(1012, "server restarting");

    await restoredSession(node, MEMBER, BIG, first);
    const result = await full;
    await streamed;
    const expected = dataset({ bigGuild: true }).guild(BIG)!.members.map((m) => m.id);
    assert.deepEqual(idsOf(result), expected, "the other request is complete and in order");
    const total = chunks.reduce((n, c) => n + c.n, 0);
    assert.equal(total, 10_000, "the streamed chunks add up to the pool, no repeats");
    assert.equal(chunks.filter((c) => c.finished).length, 1, "one finished chunk");
    assert.equal(chunks.at(-1)?.finished, true);
    assert.equal(tap.sockets.length, 2);
    assert.equal(
      tap.sent.filter((f) => f._event === "pool_all_request" && f._seq === seq).length,
      2,
      "the stream's request was re-sent on the new connection",
    );
    const onWire = tap.received
      .filter((f) => f.seq === seq && f._event === "pool_response")
      .reduce((n, f) => n + (f.data as unknown[]).length, 0);
    assert.ok(onWire > 10_000, `repeats crossed the wire (${onWire}) and were dropped`);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

// ---------------------------------------------------------------------------
// 3. Cookie elevation

Deno.test("client: the upgrade's cookie elevates the connection without a token option", async () => {
  const node = await startTestNode();
  const tap = tapSocket({ cookie: `theme=dark; dev-token=${await tokenFor(MEMBER)}` });
  const client = newClient(node, { WebSocket: tap.WebSocket });
  try {
    client.connect();
    await client.ready();
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    assert.ok((client.expiresAt ?? 0) > Date.now());
    assert.equal(
      tap.sent.filter((f) => f._event === "request_elevation").length,
      0,
      "no token was sent in a frame",
    );
    assert.equal(tap.sent.filter((f) => f._event === "session").length, 1, "asked the session");
    await client.spectate(DEMO);
    const first = onlySession(node);
    assert.equal(first.principal?.userId, MEMBER);

    // The cookie elevates the next connection too.
    first.transport.close(4009, "slow consumer");
    await restoredSession(node, MEMBER, DEMO, first);
    await waitFor(() => client.state === "open" && tap.sockets.length === 2);
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

// ---------------------------------------------------------------------------
// 4. Terminal close codes

Deno.test("client: a terminal 4500 close stops retries, closes the client and fails outstanding requests", async () => {
  const slow = await startSlowNode(300);
  const node = slow.node;
  const client = newClient(node, { token: tokenOf(MEMBER) });
  try {
    const states = recordStates(client);
    client.connect();
    await client.ready();
    const pending = client.request("pool_all_request", { type: "channel", guild_id: DEMO });
    const failed = rejection(pending);
    await waitFor(() => slow.poolCalls() >= 1, { message: "pool call reached the backend" });
    const opened = node.gateway.counters.connectionsOpened;
    onlySession(node).transport.close(4500, "protocol violation");

    const error = await failed;
    assert.equal(error.error, "closed");
    assert.equal(error.code, 0);
    assert.equal(error.details?.code, 4500);
    assert.equal(client.state, "closed");
    assert.equal(client.elevated, false);
    assert.equal(client.userId, null);
    const last = states.at(-1)!;
    assert.equal(last[0], "closed");
    assert.equal(last[1].code, 4500);
    assert.equal(states.filter(([s]) => s === "reconnecting").length, 0, "never reconnecting");

    await sleep(1000);
    assert.equal(node.gateway.counters.connectionsOpened, opened, "no new connection");
    assert.equal(node.gateway.connections.size, 0);
    const late = await rejection(client.request("session", {}));
    assert.equal(late.error, "closed", "new requests fail at once");
    await assert.rejects(client.ready(), GatewayRequestError);
  } finally {
    await client.close();
    await slow.stop();
  }
});

// ---------------------------------------------------------------------------
// 5. Server restart on the same port

Deno.test("client: reconnects to a restarted node on the same port and restores its session", async () => {
  const listener = Deno.listen({ port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const first = await startTestNode({ PORT: String(port) });
  let second: TestNode | undefined;
  const client = newClient(first, { token: tokenOf(MEMBER) });
  try {
    const states = recordStates(client);
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    assert.equal(onlySession(first).spectating?.guildId, DEMO);

    await first.shutdown(2000);
    await waitFor(() => client.state === "reconnecting", { message: "client reconnecting" });
    assert.ok(
      states.some(([s, d]) => s === "reconnecting" && d.code === 1012),
      `told to reconnect with 1012: ${JSON.stringify(states)}`,
    );
    // Let it fail against the closed port a few times.
    await sleep(300);
    assert.notEqual(client.state, "open");
    assert.notEqual(client.state, "closed");

    second = await startTestNode({ PORT: String(port) });
    assert.equal(second.url.port, String(port));
    const session = await restoredSession(second, MEMBER, DEMO);
    await waitFor(() => client.state === "open", { message: "client open again" });
    assert.equal(session.elevated, true);
    assert.equal(client.elevated, true);
    assert.equal(client.userId, MEMBER);
    const ids = dataset().guild(DEMO)!.members.slice(0, 2).map((m) => m.id);
    const result = await client.request("pool_request", {
      type: "member",
      guild_id: DEMO,
      ids: [...ids, "999"],
    });
    assert.deepEqual(idsOf(result), ids);
    assert.deepEqual(result.nonexistent, ["999"]);
  } finally {
    await client.close();
    await first.shutdown(1000);
    await second?.shutdown(1000);
  }
});

// ---------------------------------------------------------------------------
// 6. The Redux adapter

Deno.test("client: the Redux middleware dispatches successes, REST-shaped failures and pushes", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(MEMBER) });
  const dispatched: Action[] = [];
  const passed: unknown[] = [];
  const store = {
    dispatch(action: Action): unknown {
      dispatched.push(action);
      return action;
    },
    getState: () => ({}),
  };
  const dispatch = createGatewayMiddleware(client)(store)((action) => {
    passed.push(action);
    return action;
  });
  try {
    client.connect();
    await client.ready();
    const states = dispatched.filter((a): a is GatewayStateAction => a.type === GATEWAY_STATE);
    assert.deepEqual(states.map((a) => a.payload.state), ["connecting", "open"]);

    const ids = dataset().guild(DEMO)!.members.slice(0, 3).map((m) => m.id);
    const request = gatewayRequest("pool_request", {
      type: "member",
      guild_id: DEMO,
      ids: [...ids, "999"],
    }, { view: "members" });
    const success = await dispatch(request) as GatewaySuccessAction;
    assert.ok(passed.includes(request), "the request action reaches the reducers");
    assert.equal(success.type, GATEWAY_REQUEST_SUCCESS);
    assert.ok(dispatched.includes(success), "the success action was dispatched");
    const data = success.payload as PoolResult;
    assert.deepEqual(idsOf(data), ids);
    assert.deepEqual(data.nonexistent, ["999"]);
    assert.equal(success.meta.event, "pool_request");
    assert.equal(success.meta.view, "members");
    assert.equal(typeof success.meta.seq, "number");

    // Refused by the server: not a member of that guild.
    const refused = await dispatch(
      gatewayRequest("pool_request", { type: "member", guild_id: LOUNGE, ids: ["1"] }),
    ) as GatewayFailureAction;
    assert.equal(refused.type, GATEWAY_REQUEST_FAILURE);
    assert.ok(dispatched.includes(refused));
    assert.equal(refused.error, true);
    assert.equal(refused.payload.code, 403);
    assert.equal(refused.payload.error, "not_a_member");
    assert.equal(typeof refused.payload.message, "string");
    assert.ok(refused.payload.human.length > 0);
    assert.deepEqual(Object.keys(refused.payload).sort(), ["code", "error", "human", "message"]);
    assert.equal(refused.meta.event, "pool_request");

    // Refused by the server: user pools cannot be listed whole.
    const invalid = await dispatch(
      gatewayRequest("pool_all_request", { type: "user" }),
    ) as GatewayFailureAction;
    assert.equal(invalid.type, GATEWAY_REQUEST_FAILURE);
    assert.equal(invalid.payload.error, "invalid_payload");
    assert.equal(invalid.payload.code, 422);
    assert.ok(invalid.payload.human.length > 0);
    assert.ok(invalid.payload.message.length > 0);

    // Pushes become gateway/event actions.
    await client.spectate(DEMO);
    await node.poolTraffic!.step();
    const isPush = (a: Action): a is GatewayEventAction =>
      a.type === GATEWAY_EVENT && (a as GatewayEventAction).payload.event === "log_pool";
    await waitFor(() => dispatched.some(isPush), { message: "a log_pool event action" });
    const push = dispatched.find(isPush)!;
    const frame = push.payload.data as ServerFrameOf<"log_pool">;
    assert.equal(frame.guild_id, DEMO);
    assert.equal(frame.type, "member");
    assert.equal(frame.action, "add");
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

// ---------------------------------------------------------------------------
// 7. PoolCache follows log_pool pushes

Deno.test("client: PoolCache loads a pool once and follows log_pool pushes without new requests", async () => {
  const node = await startTestNode();
  const tap = tapSocket();
  const client = newClient(node, { token: tokenOf(MEMBER), WebSocket: tap.WebSocket });
  const cache = new PoolCache();
  const detach = cache.attach(client);
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    const members = await cache.all(client, "member", DEMO);
    const expected = dataset().guild(DEMO)!.members.map((m) => m.id);
    assert.deepEqual(members.map((m) => m.id), expected);
    assert.equal(cache.snapshot("member", DEMO).fullyPopulated, true);
    const sentBefore = tap.sent.length;

    const pushes: Array<ServerFrameOf<"log_pool">> = [];
    client.on("log_pool", (frame) => pushes.push(frame));
    await node.poolTraffic!.step();
    await waitFor(() => pushes.length > 0, { message: "a log_pool push" });
    const added = pushes[0]!;
    assert.equal(added.action, "add");
    assert.equal(added.type, "member");
    assert.ok(!expected.includes(added.id), "a new member");

    const entity = cache.entity("member", DEMO, added.id);
    assert.ok(entity, "the cache holds the new member");
    assert.equal(entity.id, added.id);
    assert.equal(entity.name, (added.entity as { name: string }).name);
    assert.equal(cache.entity("user", null, added.id)?.username, entity.name, "user pool too");
    const again = await cache.all(client, "member", DEMO);
    assert.equal(again.length, expected.length + 1);
    const lookup = await cache.get(client, "member", DEMO, [added.id, expected[0]!]);
    assert.deepEqual(lookup.entities.map((m) => m.id), [added.id, expected[0]]);

    // The next pushes: an auto response (another pool), then the visitor leaves.
    await node.poolTraffic!.step();
    await node.poolTraffic!.step();
    await waitFor(() => pushes.some((p) => p.action === "remove"), { message: "a remove push" });
    const removed = pushes.find((p) => p.action === "remove")!;
    assert.equal(removed.id, added.id, "the visitor left");
    assert.equal(cache.entity("member", DEMO, added.id), undefined);
    assert.ok(cache.snapshot("member", DEMO).nonexistent.has(added.id));
    assert.deepEqual((await cache.all(client, "member", DEMO)).map((m) => m.id), expected);
    assert.equal(tap.sent.length, sentBefore, "no frame was sent after the pool was loaded");
  } finally {
    detach();
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: a full reload after a reconnect drops entities removed while disconnected", async () => {
  const node = await startTestNode();
  const tap = tapSocket();
  const client = newClient(node, { token: tokenOf(MEMBER), WebSocket: tap.WebSocket });
  const cache = new PoolCache();
  const detach = cache.attach(client);
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO);
    await node.poolTraffic!.step(); // a visitor joins
    const before = await cache.all(client, "member", DEMO);
    const visitor = before.find((m) => m.name.startsWith("visitor-"));
    assert.ok(visitor, "the visitor is loaded");
    // The visitor's removal push is lost: swallow everything while it happens.
    tap.filter = (f) => f._event !== "log_pool";
    await node.poolTraffic!.step();
    await node.poolTraffic!.step(); // the visitor leaves
    await sleep(200); // the push reaches the client's socket (and is swallowed)
    tap.filter = undefined;
    const old = onlySession(node);
    old.transport.close(4009, "test");
    await restoredSession(node, MEMBER, DEMO, old);
    await client.ready();
    const after = await cache.all(client, "member", DEMO);
    assert.equal(after.some((m) => m.id === visitor.id), false, "the stale visitor is gone");
    assert.equal(after.length, dataset().guild(DEMO)!.members.length);
  } finally {
    detach();
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: unfiltered history moves the resume point; a demotion forgets the spectate", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(users.architusAdmin.id) });
  try {
    client.connect();
    await client.ready();
    await client.spectate(DEMO, { includeLogs: true });
    const published = await node.logTraffic!.publish(5, DEMO);
    await waitFor(() => client.lastLogEventId(DEMO) === published.at(-1)!.id);
    // Events that only reached the history (this client never saw them live):
    const last = published.at(-1)!;
    const onlyInHistory = { ...last, id: String(BigInt(last.id) + 1n) };
    node.demo!.history.append(onlyInHistory);
    // a filtered page does not move the resume point ...
    await client.request("logs_request", { guild_id: DEMO, limit: 5, filter: { text: "x" } });
    assert.equal(client.lastLogEventId(DEMO), last.id);
    // ... an unfiltered one does.
    const page = await client.request("logs_request", { guild_id: DEMO, limit: 5 });
    assert.equal(page.events[0]!.id, onlyInHistory.id);
    assert.equal(client.lastLogEventId(DEMO), onlyInHistory.id);
    client.noteLogEvent(DEMO, "1"); // never moves back
    assert.equal(client.lastLogEventId(DEMO), onlyInHistory.id);
    await node.gateway.signOut(users.architusAdmin.id);
    await waitFor(() => client.spectating === null, { message: "spectate forgotten on demotion" });
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

// ---------------------------------------------------------------------------
// 8. Error typing

Deno.test("client: a refused guild pool rejects with a typed GatewayRequestError", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(users.nonMember.id) });
  try {
    client.connect();
    await client.ready();
    assert.equal(client.userId, users.nonMember.id);
    let seq = -1;
    const error = await rejection(
      client.request("pool_request", { type: "member", guild_id: DEMO, ids: ["1", "2"] }, {
        onSeq: (s) => seq = s,
      }),
    );
    assert.ok(error instanceof Error);
    assert.equal(error.name, "GatewayRequestError");
    assert.equal(error.error, "not_a_member");
    assert.equal(error.code, 403);
    assert.equal(typeof error.human, "string");
    assert.ok(error.human.length > 0, "a human message");
    assert.ok(error.message.length > 0);
    assert.equal(error.seq, seq);
    // The refusal does not hurt the connection.
    assert.equal(client.state, "open");
    const spectate = await rejection(client.spectate(DEMO));
    assert.equal(spectate.error, "not_a_member");
    assert.equal(client.spectating, null, "a refused guild is not restored later");
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});
