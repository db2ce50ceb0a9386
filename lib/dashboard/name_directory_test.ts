import assert from "node:assert/strict";
import {
  GATEWAY_REQUEST_SUCCESS,
  type GatewayDispatch,
  poolsReducer,
  type PoolsState,
} from "../../client/mod.ts";
import type { DashboardState, DashboardStore } from "./dashboard_store.ts";
import { NameDirectory } from "./name_directory.ts";

const GUILD = "8";

/**
 * The store's side of a member lookup: requests are held until the test
 * answers them, and answers go through the client library's pool reducer.
 */
function lookupStore() {
  let pools: PoolsState = {};
  const listeners = new Set<() => void>();
  const asked: { ids: string[]; answer: (members: string[]) => void }[] = [];
  const dispatch =
    ((action: { payload: { event: string; data: { ids: string[] } } }) =>
      new Promise((resolve) => {
        const { event, data } = action.payload;
        asked.push({
          ids: [...data.ids],
          answer: (members) => {
            const outcome = {
              type: GATEWAY_REQUEST_SUCCESS,
              payload: {
                data: members.map((id) => ({ id, name: `user ${id}`, nick: null, color: null })),
                nonexistent: data.ids.filter((id) => !members.includes(id)),
              },
              meta: { event, request: data },
            };
            pools = poolsReducer(pools, outcome);
            for (const listener of listeners) listener();
            resolve(outcome);
          },
        });
      })) as unknown as GatewayDispatch;
  const store: DashboardStore = {
    getState: () => ({ pools } as unknown as DashboardState),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch,
  };
  return { store, asked };
}

Deno.test("NameDirectory asks for a member once, not again while its lookup is under way", async () => {
  const { store, asked } = lookupStore();
  const names = new NameDirectory({ store, guildId: GUILD });
  try {
    assert.equal(names.member("1"), undefined);
    assert.equal(names.member("2"), undefined);
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.deepEqual(asked.map((a) => a.ids), [["1", "2"]]);
    // Rows drawn again while the answer is on its way read the same ids.
    assert.equal(names.member("1"), undefined);
    assert.equal(names.member("2"), undefined);
    asked[0]!.answer(["1"]);
    await new Promise((resolve) => setTimeout(resolve, 900));
    assert.deepEqual(asked.map((a) => a.ids), [["1", "2"]], "nothing asked twice");
    assert.equal(names.member("1")?.name, "user 1");
    assert.equal(names.member("2"), null, "a member that does not exist is not asked for again");
    await new Promise((resolve) => setTimeout(resolve, 900));
    assert.equal(asked.length, 1);
  } finally {
    names.stop();
  }
});
