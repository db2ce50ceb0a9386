import assert from "node:assert/strict";
import { waitFor } from "../testing/wait_for.ts";
import { startFakeGateway } from "./_fake_gateway_test.ts";
import { GatewayClient } from "./gateway_client.ts";
import {
  type Action,
  GATEWAY_EVENT,
  GATEWAY_REQUEST,
  GATEWAY_REQUEST_FAILURE,
  GATEWAY_REQUEST_SUCCESS,
  GATEWAY_STATE,
  gatewayDispatch,
  gatewayRequest,
  gatewaySend,
} from "./redux_actions.ts";
import { createGatewayMiddleware } from "./redux_middleware.ts";

/** The least of a Redux store: every action the middleware chain lets through. */
function fakeStore(client: GatewayClient) {
  const reduced: Action[] = [];
  const store = {
    dispatch: (action: Action): unknown => chain(action),
    getState: () => ({}),
  };
  const chain = createGatewayMiddleware(client)(store)((action) => {
    reduced.push(action as Action);
    return action;
  });
  return { reduced, dispatch: gatewayDispatch({ dispatch: chain }) };
}

function gateway() {
  return startFakeGateway({
    onFrame(conn, frame) {
      if (frame._event === "pool_request") {
        conn.send({
          _event: "pool_response",
          seq: frame._seq,
          finished: true,
          data: [{ id: "1", username: "ann", discriminator: "1" }],
          nonexistent: ["2"],
        });
      } else if (frame._event === "logs_request") {
        conn.send({
          _event: "error",
          seq: frame._seq,
          code: 403,
          error: "forbidden",
          message: "missing VIEW_LOGS",
          human: "You are not allowed to do this.",
        });
      }
    },
  });
}

Deno.test("gateway middleware dispatches a REST-shaped success action", async () => {
  const gw = gateway();
  const client = new GatewayClient({ url: gw.url, random: () => 0 });
  try {
    const { reduced, dispatch } = fakeStore(client);
    client.connect();
    await client.ready();
    const request = gatewayRequest("pool_request", { type: "user", ids: ["1", "2"] }, {
      view: "nav",
    });
    assert.deepEqual(request, {
      type: GATEWAY_REQUEST,
      payload: {
        event: "pool_request",
        data: { type: "user", ids: ["1", "2"] },
        meta: { view: "nav" },
      },
    });
    const outcome = await dispatch(request);
    assert.equal(reduced.includes(request), true, "reducers see the request (loading state)");
    assert.equal(outcome.type, GATEWAY_REQUEST_SUCCESS);
    assert.ok(outcome.type === GATEWAY_REQUEST_SUCCESS);
    assert.deepEqual(outcome.payload, {
      data: [{ id: "1", username: "ann", discriminator: "1" }],
      nonexistent: ["2"],
    });
    const sent = (await gw.connection(0)).frames.find((f) => f._event === "pool_request");
    assert.deepEqual(outcome.meta, {
      event: "pool_request",
      request: { type: "user", ids: ["1", "2"] },
      poolType: "user",
      guildId: null,
      seq: sent?._seq,
      view: "nav",
    });
    assert.ok(reduced.includes(outcome));
  } finally {
    await client.close();
    await gw.close();
  }
});

Deno.test("gateway middleware dispatches a REST-shaped failure action", async () => {
  const gw = gateway();
  const client = new GatewayClient({ url: gw.url, random: () => 0 });
  try {
    const { reduced, dispatch } = fakeStore(client);
    client.connect();
    const outcome = await dispatch(
      gatewayRequest("logs_request", { guild_id: "7" }, { page: 2 }),
    );
    assert.equal(outcome.type, GATEWAY_REQUEST_FAILURE);
    assert.equal(outcome.error, true);
    assert.ok(outcome.type === GATEWAY_REQUEST_FAILURE);
    assert.deepEqual(outcome.payload, {
      code: 403,
      error: "forbidden",
      message: "missing VIEW_LOGS",
      human: "You are not allowed to do this.",
      seq: outcome.meta.seq,
    });
    assert.equal(outcome.meta.event, "logs_request");
    assert.equal(outcome.meta.page, 2);
    assert.equal(typeof outcome.meta.seq, "number");
    assert.ok(reduced.includes(outcome));

    // Client-side failures take the same shape.
    const invalid = await dispatch(
      // Ids are strings of digits; the type allows any string, the protocol does not.
      gatewayRequest("logs_request", { guild_id: "seven" }),
    );
    assert.equal(invalid.type, GATEWAY_REQUEST_FAILURE);
    assert.ok(invalid.type === GATEWAY_REQUEST_FAILURE);
    assert.equal(invalid.payload.error, "invalid_payload");
    assert.equal(invalid.meta.seq, undefined);
  } finally {
    await client.close();
    await gw.close();
  }
});

Deno.test("gateway middleware turns pushes and state changes into actions", async () => {
  const gw = gateway();
  const client = new GatewayClient({ url: gw.url, random: () => 0 });
  try {
    const { reduced, dispatch } = fakeStore(client);
    client.connect();
    await client.ready();
    const conn = await gw.connection(0);
    const push = {
      _event: "log_pool",
      guild_id: "7",
      type: "member",
      action: "remove",
      id: "3",
    };
    conn.send(push);
    await waitFor(() => reduced.some((a) => a.type === GATEWAY_EVENT && isPush(a)));
    const event = reduced.find((a) => a.type === GATEWAY_EVENT && isPush(a));
    assert.deepEqual(event, { type: GATEWAY_EVENT, payload: { event: "log_pool", data: push } });
    const states = reduced.filter((a) => a.type === GATEWAY_STATE).map((a) =>
      (a as unknown as { payload: { state: string } }).payload.state
    );
    assert.deepEqual(states, ["connecting", "open"]);

    assert.equal(dispatch(gatewaySend("session", {})), true);
    await conn.take("session");
    assert.equal(dispatch({ type: "other" }), reduced.at(-1), "other actions pass through");
  } finally {
    await client.close();
    await gw.close();
  }
});

function isPush(action: Action): boolean {
  return (action as unknown as { payload: { event: string } }).payload.event === "log_pool";
}
