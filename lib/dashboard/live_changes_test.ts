import assert from "node:assert/strict";
import { GATEWAY_EVENT } from "../../client/mod.ts";
import { liveChangesReducer } from "./live_changes.ts";
import { watchOf, watchReducer } from "./watch_state.ts";

const push = (data: object) => ({ type: GATEWAY_EVENT, payload: { event: "log_pool", data } });

Deno.test("liveChangesReducer keeps the newest log_pool pushes, numbered, canonical types", () => {
  let state = liveChangesReducer(undefined, { type: "other" });
  assert.deepEqual(state, []);
  state = liveChangesReducer(
    state,
    push({
      _event: "log_pool",
      guild_id: "1",
      type: "autoResponse",
      action: "add",
      id: "5",
      entity: { trigger: "hi" },
    }),
  );
  state = liveChangesReducer(
    state,
    push({ _event: "log_pool", guild_id: "1", type: "member", action: "remove", id: "6" }),
  );
  assert.deepEqual(state.map((c) => [c.seq, c.type, c.action, c.id]), [
    [1, "auto_response", "add", "5"],
    [2, "member", "remove", "6"],
  ]);
  for (let i = 0; i < 150; i++) {
    state = liveChangesReducer(
      state,
      push({
        _event: "log_pool",
        guild_id: "1",
        type: "role",
        action: "update",
        id: `${i}`,
        entity: {},
      }),
    );
  }
  assert.equal(state.length, 100);
  assert.equal(state[state.length - 1]!.seq, 152);
});

Deno.test("watchReducer follows subscribed, access_changed and a final unsubscribed", () => {
  const event = (name: string, data: object) => ({
    type: GATEWAY_EVENT,
    payload: { event: name, data },
  });
  let state = watchReducer(
    undefined,
    event("subscribed", {
      guildId: "1",
      tier: "member",
      permissions: 0x12,
      categories: ["pool"],
      logs: "granted",
      restored: false,
    }),
  );
  assert.equal(watchOf(state, "1")?.permissions, 0x12);
  assert.equal(watchOf(state, "2"), null);
  state = watchReducer(
    state,
    event("access_changed", {
      guild_id: "1",
      tier: "discord_admin",
      permissions: 0x112,
      categories: ["pool"],
      logs: "granted",
    }),
  );
  assert.equal(watchOf(state, "1")?.permissions, 0x112);
  state = watchReducer(
    state,
    event("unsubscribed", { guildId: "1", reason: "demoted", willRestore: true }),
  );
  assert.notEqual(watchOf(state, "1"), null, "the client restores it");
  state = watchReducer(
    state,
    event("unsubscribed", { guildId: "1", reason: "not_a_member", willRestore: false }),
  );
  assert.equal(watchOf(state, "1"), null);
});
