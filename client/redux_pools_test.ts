import assert from "node:assert/strict";
import {
  GATEWAY_EVENT,
  GATEWAY_REQUEST_FAILURE,
  GATEWAY_REQUEST_SUCCESS,
  GATEWAY_STATE,
  gatewayForgetPools,
  gatewayRequest,
} from "./redux_actions.ts";
import {
  poolKey,
  poolsReducer,
  type PoolsState,
  selectPool,
  selectPoolEntities,
} from "./redux_pools.ts";

const role = (id: string, name: string) => ({ id, name });

function success(
  event: string,
  request: object,
  data: unknown[],
  nonexistent: string[] = [],
) {
  return {
    type: GATEWAY_REQUEST_SUCCESS,
    payload: { data, nonexistent },
    meta: { event, request },
  };
}

Deno.test("poolsReducer marks loading, replaces on a whole load, merges lookups and pushes", () => {
  const all = { type: "role" as const, guild_id: "7" };
  let state: PoolsState = poolsReducer(
    undefined,
    gatewayRequest("pool_all_request", all),
  );
  assert.equal(selectPool(state, "role", "7").status, "loading");
  state = poolsReducer(
    state,
    success("pool_all_request", all, [role("1", "a"), role("2", "b")]),
  );
  assert.deepEqual(selectPoolEntities(state, "role", "7").map((r) => r.name), [
    "a",
    "b",
  ]);
  assert.equal(selectPool(state, "role", "7").fullyPopulated, true);
  state = poolsReducer(state, {
    type: GATEWAY_EVENT,
    payload: {
      event: "log_pool",
      data: {
        _event: "log_pool",
        guild_id: "7",
        type: "role",
        action: "remove",
        id: "1",
      },
    },
  });
  state = poolsReducer(state, {
    type: GATEWAY_EVENT,
    payload: {
      event: "log_pool",
      data: {
        _event: "log_pool",
        guild_id: "7",
        type: "role",
        action: "add",
        id: "3",
        entity: role("3", "c"),
      },
    },
  });
  assert.deepEqual(selectPool(state, "role", "7").ids, ["2", "3"]);
  assert.deepEqual(selectPool(state, "role", "7").nonexistent, ["1"]);
  state = poolsReducer(state, {
    type: GATEWAY_STATE,
    payload: { state: "reconnecting" },
  });
  assert.equal(
    selectPool(state, "role", "7").fullyPopulated,
    false,
    "stale after a drop",
  );
  // A whole load replaces: what it no longer lists is gone.
  state = poolsReducer(
    state,
    success("pool_all_request", all, [role("3", "c")]),
  );
  assert.deepEqual(selectPool(state, "role", "7").ids, ["3"]);

  const users = { type: "user", ids: ["5", "6"] };
  state = poolsReducer(
    state,
    success("pool_request", users, [{ id: "5" }], ["6"]),
  );
  assert.deepEqual(
    selectPool(state, "user", "99").ids,
    ["5"],
    "agnostic pools ignore the guild",
  );
  assert.deepEqual(selectPool(state, "user", null).nonexistent, ["6"]);
  assert.ok(poolKey("user", "99") === poolKey("user", null));
});

Deno.test("poolsReducer keeps every field of a failure, and ignores what is not a pool", () => {
  const request = { type: "member", guild_id: "8" };
  const failure = {
    type: GATEWAY_REQUEST_FAILURE,
    error: true,
    payload: {
      code: 429,
      error: "rate_limited",
      message: "m",
      human: "h",
      retryAfter: 1.5,
      seq: 3,
    },
    meta: { event: "pool_all_request", request },
  };
  const state = poolsReducer({}, failure);
  assert.deepEqual(selectPool(state, "member", "8").error, failure.payload);
  assert.equal(selectPool(state, "member", "8").status, "failed");
  assert.equal(poolsReducer(state, { type: "other" }), state);
  assert.equal(poolsReducer(state, gatewayRequest("session", {})), state);
});

Deno.test("poolsReducer merges online members without making the pool whole, and forgets a guild", () => {
  const member = (id: string) => ({
    id,
    name: id,
    discriminator: "0001",
    roles: [],
    joined_at: "",
  });
  const online = { type: "member" as const, guild_id: "7", online: true };
  let state = poolsReducer(
    undefined,
    success("pool_request", { ...online, ids: ["9"] }, [member("9")]),
  );
  state = poolsReducer(state, success("pool_all_request", online, [member("1"), member("2")]));
  const partial = selectPool(state, "member", "7");
  assert.deepEqual(partial.ids, ["9", "1", "2"], "online members join what was there");
  assert.equal(partial.fullyPopulated, false);
  state = poolsReducer(
    state,
    success("pool_all_request", { type: "member", guild_id: "7" }, [
      member("1"),
      member("3"),
    ]),
  );
  assert.deepEqual(selectPool(state, "member", "7").ids, ["1", "3"], "a whole load replaces");
  assert.equal(selectPool(state, "member", "7").fullyPopulated, true);
  state = poolsReducer(state, success("pool_all_request", { type: "role", guild_id: "8" }, []));
  state = poolsReducer(state, gatewayForgetPools("7"));
  assert.deepEqual(Object.keys(state), [poolKey("role", "8")]);
  assert.equal(
    poolsReducer(state, gatewayForgetPools("7")),
    state,
    "nothing to forget: same state",
  );
});

Deno.test("selectPool returns one and the same slice for a pool the store does not hold", () => {
  // A view subscribed to a pool that never loads must not be redrawn by every unrelated action.
  let state: PoolsState = {};
  const first = selectPool(state, "user", null);
  state = poolsReducer(state, {
    type: GATEWAY_EVENT,
    payload: { event: "log_other", data: { _event: "log_other", guild_id: "8", events: [] } },
  });
  state = poolsReducer(state, success("pool_all_request", { type: "role", guild_id: "8" }, []));
  assert.equal(selectPool(state, "user", null), first);
  assert.equal(selectPool(state, "member", "8"), selectPool({}, "member", "8"));
  assert.notEqual(selectPool(state, "member", "8"), selectPool(state, "member", "9"));
  assert.deepEqual([first.ids, first.status, first.fullyPopulated], [[], "idle", false]);
});
