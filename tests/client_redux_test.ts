/**
 * The Redux adapter against a REAL gateway node and a real Redux store.
 */
import assert from "node:assert/strict";
import {
  type Action,
  createGatewayMiddleware,
  GATEWAY_EVENT,
  GATEWAY_REQUEST_FAILURE,
  GATEWAY_REQUEST_SUCCESS,
  GATEWAY_STATE,
  gatewayDispatch,
  type GatewayEventAction,
  type GatewayFailureAction,
  gatewayRequest,
  type GatewayStateAction,
  type GatewaySuccessAction,
  isGatewayAction,
  type PoolResult,
  poolsReducer,
  selectPool,
  selectPoolEntities,
  type ServerFrameOf,
} from "../client/mod.ts";
import { applyMiddleware, combineReducers, createStore } from "redux";
import { dataset, startTestNode } from "./_helpers/node.ts";
import { DEMO_GUILD_IDS } from "../demo/mod.ts";
import { waitFor } from "../testing/wait_for.ts";
import { freePort } from "../testing/free_port.ts";
import { idsOf, newClient, restoredSession, tokenOf } from "./_helpers/client_kit.ts";

const users = dataset().demoUsers;
const MEMBER = users.member.id;
const DEMO = DEMO_GUILD_IDS.architusDemo;
const LOUNGE = DEMO_GUILD_IDS.gamingLounge;

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
    assert.deepEqual(Object.keys(refused.payload).sort(), [
      "code",
      "details",
      "error",
      "human",
      "message",
      "seq",
    ], "every field of the error");
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

Deno.test("client: a Redux store stays live across a node restart: spectate, pools and pushes", async () => {
  const port = freePort();
  let node = await startTestNode({ PORT: String(port) });
  const client = newClient(node, { token: tokenOf(MEMBER) });
  const connection = (state: string = "idle", action: unknown) =>
    isGatewayAction(action, GATEWAY_STATE) ? action.payload.state : state;
  const store = createStore(
    combineReducers({ pools: poolsReducer, connection }),
    applyMiddleware(createGatewayMiddleware(client)),
  );
  const dispatch = gatewayDispatch(store);
  try {
    client.connect();
    await client.ready();
    const spectated = await dispatch(gatewayRequest("spectate", { guild_id: DEMO }));
    assert.equal(spectated.type, GATEWAY_REQUEST_SUCCESS);
    const loaded = await dispatch(
      gatewayRequest("pool_all_request", { type: "member", guild_id: DEMO }),
    );
    assert.equal(loaded.meta.poolType, "member");
    assert.equal(loaded.meta.guildId, DEMO);
    const members = dataset().guild(DEMO)!.members.length;
    assert.equal(selectPoolEntities(store.getState().pools, "member", DEMO).length, members);

    await node.shutdown(1000);
    await waitFor(() => store.getState().connection === "reconnecting");
    assert.equal(selectPool(store.getState().pools, "member", DEMO).fullyPopulated, false);
    node = await startTestNode({ PORT: String(port) });
    await restoredSession(node, MEMBER, DEMO);
    await waitFor(() => store.getState().connection === "open");
    await waitFor(() => selectPool(store.getState().pools, "member", DEMO).fullyPopulated, {
      message: "the middleware reloaded the whole pool",
    });
    // Pushes of the new node reach the store.
    await node.poolTraffic!.step();
    await waitFor(() =>
      selectPoolEntities(store.getState().pools, "member", DEMO).length === members + 1
    );
    const visitor = selectPoolEntities(store.getState().pools, "member", DEMO).at(-1)!;
    assert.ok(visitor.name.startsWith("visitor-"));
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});

Deno.test("client: Redux failure actions keep every error field and say which pool they answer", async () => {
  const node = await startTestNode();
  const client = newClient(node, { token: tokenOf(MEMBER) });
  const store = createStore(
    combineReducers({ pools: poolsReducer }),
    applyMiddleware(createGatewayMiddleware(client)),
  );
  const dispatch = gatewayDispatch(store);
  try {
    client.connect();
    await client.ready();
    const refused = await dispatch(
      gatewayRequest("pool_all_request", { type: "member", guild_id: LOUNGE }, { view: "x" }),
    );
    assert.ok(refused.type === GATEWAY_REQUEST_FAILURE);
    assert.equal(refused.payload.error, "not_a_member");
    assert.equal(typeof refused.payload.seq, "number");
    assert.equal(refused.meta.poolType, "member");
    assert.equal(refused.meta.guildId, LOUNGE);
    assert.equal(refused.meta.view, "x");
    const slice = selectPool(store.getState().pools, "member", LOUNGE);
    assert.equal(slice.status, "failed");
    assert.deepEqual(slice.error, refused.payload);
    const elevation = await dispatch(gatewayRequest("request_elevation", { token: "bad" }));
    assert.ok(elevation.type === GATEWAY_REQUEST_FAILURE, "a refused elevation is a failure");
    assert.equal(elevation.payload.error, "invalid_token");
  } finally {
    await client.close();
    await node.shutdown(1000);
  }
});
