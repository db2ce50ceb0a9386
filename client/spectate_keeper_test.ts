import assert from "node:assert/strict";
import type { ClientEventMap } from "./client_types.ts";
import { Listeners } from "./listeners.ts";
import { LogCursor } from "./log_cursor.ts";
import { GatewayRequestError } from "./request_error.ts";
import { SpectateKeeper } from "./spectate_keeper.ts";

function setup() {
  const cursor = new LogCursor();
  const events = new Listeners<ClientEventMap>();
  const seen: Array<[string, unknown]> = [];
  events.on("subscribed", (e) => seen.push(["subscribed", e]));
  events.on("unsubscribed", (e) => seen.push(["unsubscribed", e]));
  return { cursor, keeper: new SpectateKeeper(cursor, events), seen };
}

const answer = (guildId: string | null, extra: object = {}) => ({
  _event: "spectate_return" as const,
  guild_id: guildId,
  tier: "member",
  permissions: 18,
  categories: ["pool" as const, "log.public" as const],
  logs: "granted" as const,
  ...extra,
});

Deno.test("SpectateKeeper keeps the accepted guild and resumes its log after the newest event", () => {
  const { cursor, keeper, seen } = setup();
  keeper.accepted(answer("7"), { guild_id: "7", include_logs: true }, false);
  assert.deepEqual(keeper.target, { guildId: "7", includeLogs: true });
  assert.equal(keeper.subscription?.tier, "member");
  cursor.note("7", "100");
  assert.deepEqual(keeper.restorePayload(), {
    guild_id: "7",
    include_logs: true,
    since: "100",
  });
  keeper.accepted(answer("7", { recovered: false, replayed: 0 }), {
    guild_id: "7",
    include_logs: true,
    since: "100",
  }, true);
  assert.deepEqual(seen.at(-1), ["subscribed", {
    guildId: "7",
    tier: "member",
    permissions: 18,
    categories: ["pool", "log.public"],
    logs: "granted",
    restored: true,
    since: "100",
    recovered: false,
    replayed: 0,
  }]);
});

Deno.test("SpectateKeeper keeps the current guild when another is refused, and forgets it on a final no", () => {
  const { keeper, seen } = setup();
  keeper.accepted(answer("7"), { guild_id: "7" }, false);
  const no = GatewayRequestError.server("not_a_member", "no");
  keeper.refused("8", no);
  assert.equal(
    keeper.target?.guildId,
    "7",
    "another guild's refusal changes nothing",
  );
  keeper.refused(
    "7",
    GatewayRequestError.server("backend_unavailable", "later"),
  );
  assert.equal(keeper.target?.guildId, "7", "not now is not no");
  keeper.refused("7", no);
  assert.equal(keeper.target, null);
  assert.deepEqual(seen.at(-1), [
    "unsubscribed",
    { guildId: "7", reason: "not_a_member", willRestore: false },
  ]);
});

Deno.test("SpectateKeeper follows spectate_ended, access_changed and demotions", () => {
  const { keeper, seen } = setup();
  keeper.accepted(answer("7"), { guild_id: "7", include_logs: true }, false);
  keeper.changed({
    _event: "access_changed",
    guild_id: "7",
    tier: "member",
    permissions: 16,
    categories: ["pool"],
    logs: "refused",
  });
  assert.equal(keeper.subscription?.logs, "refused");
  keeper.ended({
    _event: "spectate_ended",
    guild_id: "7",
    reason: "access_unverified",
  });
  assert.equal(keeper.suspended, true, "tried again on the next reconnect");
  assert.equal(keeper.target?.guildId, "7");
  keeper.accepted(answer("7"), { guild_id: "7", include_logs: true }, true);
  keeper.demoted("expired", true);
  assert.deepEqual(seen.at(-1), [
    "unsubscribed",
    { guildId: "7", reason: "demoted", willRestore: true },
  ]);
  assert.equal(keeper.target?.guildId, "7", "kept for the next elevation");
  keeper.ended({
    _event: "spectate_ended",
    guild_id: "7",
    reason: "not_a_member",
  });
  assert.equal(
    keeper.target,
    null,
    "never restored silently after not_a_member",
  );
  keeper.accepted(answer("9"), { guild_id: "9" }, false);
  keeper.demoted("signed_out", false);
  assert.equal(keeper.target, null, "a sign-out forgets the guild");
});
