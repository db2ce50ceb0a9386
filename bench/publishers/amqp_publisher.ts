/**
 * The publisher of system under test 3 (gateway on RabbitMQ), a process of
 * its own: publishes the benchmark's log events as `{"events":[...]}` on the
 * gateway's topic exchange `<BUS_NAMESPACE>.architus.gateway`, routing key
 * `guild.<id>.log.public`, as the Architus backend would. Each tick's sends
 * are awaited before the next tick, so a broker pushing back slows the
 * publisher (and shows as fewer published events) instead of queueing here.
 *
 * `cleanup` deletes the run's exchange and shard queues from the broker.
 * Controlled by the runner over stdin/stdout (see `../lib/control.ts`).
 *
 * @module
 */
import { Connection } from "rabbitmq-client";
import { serveControl } from "../lib/control.ts";
import { type LoadPlan, runOpenLoop } from "../shared/pacer.mjs";

const url = Deno.env.get("AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672";
const namespace = Deno.env.get("BUS_NAMESPACE") ?? "";
const exchange = (namespace ? `${namespace}.` : "") + "architus.gateway";

const conn = new Connection({ url, noDelay: true, connectionName: "architus-bench-publisher" });
conn.on("error", () => {});
await conn.onConnect(10_000, true);
const publisher = conn.createPublisher({
  exchanges: [{ exchange, type: "topic", durable: false }],
});

await serveControl({ exchange }, {
  publish: (plan: LoadPlan) =>
    runOpenLoop<string>(plan, (_gi, guildId, batch) =>
      publisher.send(
        { exchange, routingKey: `guild.${guildId}.log.public` },
        `{"events":[${batch.join(",")}]}`,
      )),
  cleanup: async (args: { queues?: string[] }) => {
    const prefix = namespace ? `${namespace}.` : "";
    for (const q of args.queues ?? []) {
      await conn.queueDelete({ queue: prefix + q }).catch(() => {});
    }
    await conn.exchangeDelete({ exchange }).catch(() => {});
    return { exchange };
  },
}, async () => {
  await publisher.close().catch(() => {});
  await conn.close().catch(() => {});
});
