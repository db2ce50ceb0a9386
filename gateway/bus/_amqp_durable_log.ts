import type { Connection, Consumer, Publisher } from "rabbitmq-client";
import type { BusErrorSink, BusHandler, Subscription } from "./bus.ts";

/** How long a durable log keeps its records (the stream queue's `x-max-age`). */
const MAX_AGE = "8D";

const decoder = new TextDecoder();

/**
 * Durable logs on RabbitMQ stream queues (AMQP 0-9-1, RabbitMQ 3.9+): a
 * record is published to the stream with publisher confirms, so `append`
 * resolves once the broker holds it; a reader consumes the stream from
 * `first`, and the client library re-consumes from `first` after a
 * reconnect, which is why readers must be idempotent. Streams need manual
 * acknowledgement and a prefetch. Private to the bus folder.
 */
export class AmqpDurableLogs {
  readonly #conn: Connection;
  readonly #prefix: string;
  readonly #onError: BusErrorSink;
  #publisher: Publisher | undefined;
  readonly #readers = new Set<Consumer>();

  constructor(conn: Connection, options: { prefix: string; onError: BusErrorSink }) {
    this.#conn = conn;
    this.#prefix = options.prefix;
    this.#onError = options.onError;
  }

  #queue(log: string) {
    return {
      queue: this.#prefix + log,
      durable: true,
      arguments: { "x-queue-type": "stream" as const, "x-max-age": MAX_AGE },
    };
  }

  async append(log: string, body: string): Promise<void> {
    this.#publisher ??= this.#conn.createPublisher({ confirm: true, maxAttempts: 3 });
    await this.#conn.queueDeclare(this.#queue(log));
    await this.#publisher.send({ routingKey: this.#prefix + log, durable: true }, body);
  }

  readLog(log: string, handler: BusHandler): Promise<Subscription> {
    const consumer = this.#conn.createConsumer({
      queue: this.#prefix + log,
      queueOptions: this.#queue(log),
      qos: { prefetchCount: 256 },
      arguments: { "x-stream-offset": "first" },
      noAck: false,
    }, (msg) => {
      const body = typeof msg.body === "string"
        ? msg.body
        : msg.body instanceof Uint8Array
        ? decoder.decode(msg.body)
        : JSON.stringify(msg.body);
      try {
        handler(log, body);
      } catch (error) {
        this.#onError("log reader failed", { log, error });
      }
    });
    consumer.on("error", (error) => this.#onError("log consumer error", { log, error }));
    this.#readers.add(consumer);
    return new Promise<void>((resolve) => consumer.once("ready", resolve)).then(() => ({
      unsubscribe: async () => {
        if (!this.#readers.delete(consumer)) return;
        await consumer.close();
      },
    }));
  }

  async close(): Promise<void> {
    const closing: Promise<unknown>[] = [...this.#readers].map((c) => c.close());
    this.#readers.clear();
    if (this.#publisher !== undefined) closing.push(this.#publisher.close());
    await Promise.allSettled(closing);
  }
}
