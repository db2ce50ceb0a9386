/**
 * The stand-in shard answers as `architus.md` says the real one does, which
 * is why the gateway's native backend cannot use it: the quirks, asked
 * directly over the real broker.
 */
import assert from "node:assert/strict";
import { BackendError } from "../gateway/backend/backend.ts";
import { BackendRpc } from "../gateway/backend/backend_rpc.ts";
import { AmqpBus } from "../gateway/bus/mod.ts";
import { deleteQueues } from "../tests/_helpers/broker.ts";
import { AMQP_TEST_URL } from "../tests/_helpers/node.ts";
import { ArchitusShard } from "./architus_shard.ts";
import { GUILD_A, OWNER } from "./architus_shard_data.ts";

Deno.test({
  name:
    "the stand-in shard keeps the original's signatures and quirks, which the native backend trips on",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `shard${crypto.randomUUID().slice(0, 8)}`;
    const shardBus = new AmqpBus({ url: AMQP_TEST_URL, namespace: ns, name: "stand-in-shard" });
    const gatewayBus = new AmqpBus({ url: AMQP_TEST_URL, namespace: ns, name: "native-client" });
    await Promise.all([shardBus.start(), gatewayBus.start()]);
    const shard = new ArchitusShard(shardBus, { shards: 1 });
    await shard.start();
    const native = new BackendRpc(gatewayBus, { shards: 1, timeoutMs: 500 });
    const raw = async (method: string, args: unknown[], kwargs = {}) =>
      JSON.parse(
        await gatewayBus.request("shard_rpc_0", JSON.stringify({ method, args, kwargs }), {
          timeoutMs: 500,
        }),
      );
    try {
      // The native backend sends `kwargs.user_id`, which the shard's signature rejects.
      await assert.rejects(
        native.poolAll({ userId: OWNER, guildId: GUILD_A, type: "channel" }),
        (e) =>
          e instanceof BackendError && e.status === 500 &&
          e.message.includes("unexpected keyword argument 'user_id'"),
      );
      // Methods the shard lacks are never answered: the caller times out.
      await assert.rejects(
        native.poolSearch({ guildId: GUILD_A, query: "o", limit: 5 }),
        (e) => e instanceof BackendError && e.kind === "timeout",
      );
      // The guild list the native way: pool_all_request(None, "guild") is a 400.
      assert.deepEqual(await raw("pool_all_request", [null, "guild"]), {
        sc: 400,
        resp: { message: "Invalid Request" },
      });
      assert.equal((await raw("pool_all_request", [null, "member"])).sc, 500, "int(None)");
      assert.deepEqual(await raw("pool_all_request", [GUILD_A, "nope"]), {
        sc: 400,
        resp: { error: "Unknown Pool" },
      });
      await assert.rejects(raw("pool_all_request", [GUILD_A, "settingValue"]), /did not answer/);
      // `nonexistant`, spelt so; a user id that is not an int finds nobody.
      const asString = await raw("pool_request", [OWNER, null, "guild", [GUILD_A]]);
      assert.deepEqual(asString.resp, { data: [], nonexistant: [GUILD_A] });
      const unknownType = await raw("pool_request", [OWNER, GUILD_A, "channel", ["1"]]);
      assert.deepEqual(unknownType, { sc: 500, resp: { message: "'unknown pool type'" } });
      assert.deepEqual((await raw("handle_mock_user_action", [], { guildId: 1, _id: 3 })).sc, 500);
      assert.deepEqual(await raw("handle_mock_user_action", [], { guildId: 1 }), {
        sc: 400,
        resp: { message: "missing arguments" },
      });
    } finally {
      await shard.stop();
      await Promise.all([shardBus.shutdown(), gatewayBus.shutdown()]);
      await deleteQueues(`${ns}.shard_rpc_0`);
    }
  },
});
