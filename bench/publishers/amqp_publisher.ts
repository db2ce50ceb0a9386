/**
 * The publisher of the gateway on RabbitMQ, a process of its own: publishes
 * the benchmark's log events as `{"events":[...]}` on the gateway's topic
 * exchange `<BUS_NAMESPACE>.architus.gateway`, routing key
 * `guild.<id>.log.public`, in one of two shapes (`LoadPlan.perEvent`):
 *
 * - one message per event, as a bot shard publishes each Discord event as
 *   it happens (the production shape);
 * - one message per guild per pacer tick (5 ms) carrying that tick's
 *   events: the batched shape, far fewer messages for the same events.
 *
 * Each tick's sends are awaited before the next tick, so a broker pushing
 * back slows the publisher (and shows as fewer published events, and as
 * delay against the schedule) instead of queueing here.
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

let messages = 0;

function publishTick(guildId: string, batch: string[], perEvent: boolean): Promise<unknown> {
  const envelope = { exchange, routingKey: `guild.${guildId}.log.public` };
  if (!perEvent) {
    messages++;
    return publisher.send(envelope, `{"events":[${batch.join(",")}]}`);
  }
  messages += batch.length;
  if (batch.length === 1) return publisher.send(envelope, `{"events":[${batch[0]}]}`);
  return Promise.all(batch.map((event) => publisher.send(envelope, `{"events":[${event}]}`)));
}

await serveControl({ exchange }, {
  publish: async (plan: LoadPlan & { perEvent?: boolean }) => {
    const before = messages;
    const result = await runOpenLoop<string>(
      plan,
      (_gi, guildId, batch) => publishTick(guildId, batch, plan.perEvent === true),
    );
    return { ...result, messages: messages - before };
  },
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
