/**
 * A consumer-only process for the RabbitMQ part's consumer comparison: it
 * binds one exclusive queue to the guilds' `log.public` keys and counts the
 * messages, doing nothing else with them, so its CPU per message is the
 * cost of the consuming path alone. Modes:
 *
 * - `bus`: the gateway's `AmqpBus`, one subscription per key (what a node
 *   pays before its relay);
 * - `consumer`: `rabbitmq-client`'s `Consumer`, no acks (what `AmqpBus`
 *   uses underneath);
 * - `consumer-ack`: the same with acks and a prefetch of `prefetch`;
 * - `channel`: `rabbitmq-client`'s channel `basicConsume`, no acks, without
 *   the `Consumer` wrapper;
 * - `wire`: `_amqp_wire.ts`, frames cut by hand: the floor of reading and
 *   decoding in JS on this runtime.
 *
 * Controlled by the runner over stdin/stdout (see `../lib/control.ts`).
 *
 * @module
 */
import { type AsyncMessage, Connection } from "rabbitmq-client";
import { AmqpBus } from "../../gateway/bus/mod.ts";
import { serveControl } from "../lib/control.ts";
import { WireConsumer } from "./_amqp_wire.ts";

export type ConsumerMode = "bus" | "consumer" | "consumer-ack" | "channel" | "wire";

interface StartArgs {
  mode: ConsumerMode;
  url: string;
  namespace: string;
  keys: string[];
  prefetch?: number;
}

let messages = 0;
let bytes = 0;
const count = (_topic: string, body: string) => {
  messages++;
  bytes += body.length;
};
const decoder = new TextDecoder();
const text = (body: unknown) =>
  typeof body === "string" ? body : decoder.decode(body as Uint8Array);
let stop: () => Promise<void> = () => Promise.resolve();

async function start(args: StartArgs): Promise<{ mode: ConsumerMode; keys: number }> {
  const exchange = `${args.namespace}.architus.gateway`;
  if (args.mode === "bus") {
    const bus = new AmqpBus({ url: args.url, namespace: args.namespace, name: "bench-consumer" });
    await bus.start();
    for (const key of args.keys) await bus.subscribe(key, count);
    stop = () => bus.shutdown();
  } else if (args.mode === "wire") {
    const wire = await WireConsumer.open(args.url);
    await wire.consume(exchange, args.keys, count);
    stop = () => Promise.resolve(wire.close());
  } else {
    const conn = new Connection({ url: args.url, noDelay: true, connectionName: "bench-consumer" });
    conn.on("error", () => {});
    await conn.onConnect(10_000, true);
    if (args.mode === "channel") {
      const ch = await conn.acquire();
      await ch.exchangeDeclare({ exchange, type: "topic", durable: false });
      const { queue } = await ch.queueDeclare({ exclusive: true, autoDelete: true });
      for (const key of args.keys) await ch.queueBind({ queue, exchange, routingKey: key });
      await ch.basicConsume(
        { queue, noAck: true },
        (msg) => count(msg.routingKey, text(msg.body)),
      );
      stop = async () => {
        await ch.close().catch(() => {});
        await conn.close().catch(() => {});
      };
    } else {
      const ack = args.mode === "consumer-ack";
      const consumer = conn.createConsumer({
        queue: "",
        queueOptions: { exclusive: true, autoDelete: true, durable: false },
        exchanges: [{ exchange, type: "topic", durable: false }],
        queueBindings: [],
        noAck: !ack,
        ...(ack ? { qos: { prefetchCount: args.prefetch ?? 100 } } : {}),
      }, (msg: AsyncMessage) => count(msg.routingKey, text(msg.body)));
      await new Promise<void>((resolve) => consumer.once("ready", resolve));
      for (const key of args.keys) {
        await conn.queueBind({ queue: consumer.queue, exchange, routingKey: key });
      }
      stop = async () => {
        await consumer.close().catch(() => {});
        await conn.close().catch(() => {});
      };
    }
  }
  return { mode: args.mode, keys: args.keys.length };
}

await serveControl({}, {
  start: (args: StartArgs) => start(args),
  stats: () => ({ messages, bytes }),
}, () => stop());
