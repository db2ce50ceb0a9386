import type { AsyncMessage, Channel, Connection } from "rabbitmq-client";

/**
 * Request/response over RabbitMQ's direct reply-to: one channel consumes
 * `amq.rabbitmq.reply-to` and publishes requests with a correlation id, so
 * replies come straight back without a reply queue. Each call has its own
 * deadline, which also becomes the message's `expiration` so the broker
 * drops requests nobody took in time. The channel is re-opened after a
 * connection loss. Private to the bus folder.
 */
export class ReplyChannel {
  readonly #conn: Connection;
  #channel: Channel | undefined;
  #opening: Promise<Channel> | undefined;
  readonly #waiting = new Map<string, (msg: AsyncMessage) => void>();
  #next = 0;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  #open(): Promise<Channel> {
    if (this.#channel?.active) return Promise.resolve(this.#channel);
    this.#opening ??= (async () => {
      const ch = await this.#conn.acquire();
      ch.on("error", () => {});
      ch.once("close", () => {
        if (this.#channel === ch) this.#channel = undefined;
      });
      await ch.basicConsume({ queue: "amq.rabbitmq.reply-to", noAck: true }, (msg) => {
        const id = msg.correlationId;
        const resolve = id === undefined ? undefined : this.#waiting.get(id);
        if (resolve !== undefined && id !== undefined) {
          this.#waiting.delete(id);
          resolve(msg);
        }
      });
      this.#channel = ch;
      return ch;
    })().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  /**
   * Publishes `body` to `queue` and resolves its reply. The caller owns the
   * deadline: it must call the returned `cancel` when it gives up, so no
   * waiter outlives the call.
   */
  send(
    queue: string,
    body: string,
    timeoutMs: number,
  ): { reply: Promise<AsyncMessage>; cancel: () => void } {
    const id = `${Date.now().toString(36)}.${(this.#next++).toString(36)}`;
    let cancel = () => {};
    const reply = new Promise<AsyncMessage>((resolve, reject) => {
      this.#waiting.set(id, resolve);
      cancel = () => this.#waiting.delete(id);
      this.#open().then((ch) =>
        ch.basicPublish({
          routingKey: queue,
          replyTo: "amq.rabbitmq.reply-to",
          correlationId: id,
          contentType: "text/plain",
          expiration: String(Math.max(1, Math.ceil(timeoutMs))),
        }, body)
      ).catch((error) => {
        this.#waiting.delete(id);
        reject(error);
      });
    });
    return { reply, cancel };
  }

  async close(): Promise<void> {
    this.#waiting.clear();
    const ch = this.#channel ?? await this.#opening?.catch(() => undefined);
    this.#channel = undefined;
    await ch?.close().catch(() => {});
  }
}
