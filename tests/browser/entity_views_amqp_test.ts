/**
 * The bot channel's live update across nodes: two development nodes on the
 * real RabbitMQ broker, the demo backend in its own bus connection, and two
 * browser contexts, one on each node. A `!set` typed on one node shows in
 * the other node's auto-response view within a second.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Browser, chromium } from "playwright-core";
import { startDemoService } from "../../demo/mod.ts";
import { AmqpBus } from "../../gateway/bus/mod.ts";
import { deleteQueues } from "../_helpers/broker.ts";
import { AMQP_TEST_URL, dataset, type TestNode } from "../_helpers/node.ts";
import { CHROMIUM, CHROMIUM_ARGS, startWebNode } from "./_browser.ts";
import { ARCHITUS_DEMO, openGuild, signIn } from "./_dashboard.ts";
import { botSay, openTab } from "./_entity_views.ts";

Deno.test({
  name:
    "entity views - a !set on one node shows in a tab on another node within a second (RabbitMQ)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const ns = `ev${crypto.randomUUID().slice(0, 8)}`;
    const backendBus = new AmqpBus({ url: AMQP_TEST_URL, namespace: ns, name: "test-backend" });
    await backendBus.start();
    const service = await startDemoService(backendBus, {
      shards: 4,
      dataset: dataset(),
      logRate: 20,
      poolUpdateSeconds: 0,
      botChannel: true,
    });
    const env = { AMQP_URL: AMQP_TEST_URL, BUS_NAMESPACE: ns, PORT: "0" };
    const nodes: TestNode[] = [];
    let browser: Browser | undefined;
    try {
      nodes.push(await startWebNode(env, { devSignIn: true }));
      nodes.push(await startWebNode(env, { devSignIn: true }));
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const errors: string[] = [];
      const [watcher, writer] = await Promise.all(nodes.map(async () => {
        const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        page.on("pageerror", (error) => errors.push(error.message));
        return page;
      }));
      await signIn(watcher!, nodes[0]!, "architusAdmin");
      await openGuild(watcher!, ARCHITUS_DEMO);
      await openTab(watcher!, "auto-responses");
      await watcher!.locator('[data-testid="auto-response-view"][data-ready="true"]').waitFor({
        timeout: 10_000,
      });
      await signIn(writer!, nodes[1]!, "member");
      await openGuild(writer!, ARCHITUS_DEMO);

      const trigger = `node${Date.now() % 100000}`;
      const row = `[data-testid="auto-response"][data-trigger="${trigger}"]`;
      const sentAt = Date.now();
      await writer!.locator('[data-testid="bot-channel-input"]').fill(`!set ${trigger}::across`);
      await writer!.locator('[data-testid="bot-channel-input"]').press("Enter");
      await watcher!.locator(row).waitFor({ timeout: 1_000 });
      const after = Date.now() - sentAt;
      assert.ok(after < 1_000, `shown on the other node ${after} ms after the !set`);
      assert.equal(await watcher!.locator(row).getAttribute("data-fresh"), "true");

      await botSay(writer!, `!remove ${trigger}`, "Done");
      await watcher!.locator(row).waitFor({ state: "detached", timeout: 1_000 });
      assert.deepEqual(errors, []);
    } finally {
      await browser?.close();
      for (const node of nodes) await node.shutdown(500);
      await service.stop();
      await backendBus.shutdown();
      await deleteQueues(`${ns}.gateway.revocations`);
    }
  },
});
