/**
 * The dashboard's bot channel through a real node: `interpret` with a real
 * guild's id reaches the demo backend with the member's id, and the change
 * it makes reaches every spectator of the guild as `log_pool`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { WsClient } from "./_helpers/ws_client.ts";
import { dataset, tokenFor, wsUrl } from "./_helpers/node.ts";
import { withNode } from "./_helpers/with_node.ts";
import type { TestNode } from "./_helpers/node.ts";

const users = dataset().demoUsers;
const DEMO = dataset().guilds.find((g) => g.name === "Architus Demo")!.id;

async function member(node: TestNode, userId: string, clients: WsClient[]): Promise<WsClient> {
  const c = await WsClient.connect(wsUrl(node), { cookie: `dev-token=${await tokenFor(userId)}` });
  clients.push(c);
  return c;
}

Deno.test("!set in the bot channel reaches another spectator as log_pool, and !remove takes it away", async () => {
  await withNode({}, async (node, clients) => {
    const writer = await member(node, users.member.id, clients);
    const watcher = await member(node, users.architusAdmin.id, clients);
    assert.equal(
      (await watcher.ask({ _event: "spectate", _seq: 1, guild_id: DEMO }))._event,
      "spectate_return",
    );
    const set = await writer.ask({
      _event: "interpret",
      _seq: 1,
      guild_id: DEMO,
      message_id: 2,
      content: "!set gateway test::it works",
    });
    assert.equal(set._event, "mock_bot_event");
    assert.equal(set.guildId, DEMO);
    const [reply] = set.actions as Array<{ content: string }>;
    assert.match(reply!.content, /respond to "gateway test"/);
    const added = await watcher.next((f) =>
      f._event === "log_pool" &&
      (f.entity as { trigger?: string } | undefined)?.trigger === "gateway test"
    );
    assert.equal(added.type, "auto_response");
    assert.equal(added.action, "add");
    assert.equal((added.entity as { author_id: string }).author_id, users.member.id);
    const removed = await writer.ask({
      _event: "interpret",
      _seq: 2,
      guild_id: DEMO,
      message_id: 4,
      content: "!remove gateway test",
    });
    assert.match((removed.actions as Array<{ content: string }>)[0]!.content, /won't respond/);
    await watcher.next((f) =>
      f._event === "log_pool" && f.action === "remove" && f.id === added.id
    );
  });
});

Deno.test("the bot channel of a real guild needs a signed-in member", async () => {
  await withNode({}, async (node, clients) => {
    const anonymous = await WsClient.connect(wsUrl(node));
    clients.push(anonymous);
    const frame = {
      _event: "interpret",
      _seq: 1,
      guild_id: DEMO,
      message_id: 2,
      content: "!set a::b",
    };
    const refused = await anonymous.ask(frame);
    assert.equal(refused._event, "error");
    assert.equal(refused.error, "not_authenticated");
    const stranger = await member(node, users.nonMember.id, clients);
    const notMember = await stranger.ask(frame);
    assert.equal(notMember.error, "not_a_member");
    // A mock guild (a number) stays open to everyone, as the front page needs.
    const mock = await anonymous.ask({ ...frame, _seq: 2, guild_id: 4242, content: "!help" });
    assert.equal(mock._event, "mock_bot_event");
    assert.equal(mock.guildId, 4242);
  });
});

Deno.test("without the bot channel (a production node) a real guild's interpret is not_available", async () => {
  await withNode(
    { GATEWAY_ENV: "production", ALLOWED_ORIGINS: "https://archit.us" },
    async (node, clients) => {
      const writer = await WsClient.connect(wsUrl(node), { origin: "https://archit.us" });
      clients.push(writer);
      const elevated = await writer.ask({
        _event: "request_elevation",
        _seq: 9,
        token: await tokenFor(users.member.id),
      });
      assert.equal(elevated.result, true);
      const answer = await writer.ask({
        _event: "interpret",
        _seq: 1,
        guild_id: DEMO,
        message_id: 2,
        content: "!set a::b",
      });
      assert.equal(answer._event, "error");
      assert.equal(answer.error, "not_available");
    },
  );
});
