import { type AsyncMessage, type Channel, Connection } from "rabbitmq-client";

/** A reply as the REST API reads it: `{sc, resp}`. */
export interface RestRpcReply {
  readonly sc: number;
  readonly resp: unknown;
}

const decoder = new TextDecoder();

/**
 * A stand-in for the Architus REST API's blocking RPC client (pika,
 * `blocking_rpc_client.py`) as `architus.md` §4.2 describes it, the other
 * side of `gateway_rpc` in tests: one exclusive, server-named callback
 * queue; each call published to the default exchange with the target queue
 * as routing key, `correlation_id` a uuid4, `reply_to` the callback queue,
 * `content_type: text/plain`, and the body `{"method", "args", "kwargs"}`.
 * It has no timeout: it re-publishes the call every `republishMs` until a
 * reply with its correlation id arrives (a call published while no gateway
 * serves the queue is simply dropped by the broker). `giveUpMs` is only a
 * safety net for tests, not something the original does.
 */
export class RestRpcClient {
  readonly #conn: Connection;
  readonly #ch: Channel;
  readonly #replyQueue: string;
  readonly #prefix: string;
  readonly #waiting = new Map<string, (msg: AsyncMessage) => void>();
  /** Every publish so far, re-publishes included. */
  published = 0;

  private constructor(conn: Connection, ch: Channel, replyQueue: string, prefix: string) {
    this.#conn = conn;
    this.#ch = ch;
    this.#replyQueue = replyQueue;
    this.#prefix = prefix;
  }

  static async connect(url: string, options: { namespace?: string } = {}): Promise<RestRpcClient> {
    const conn = new Connection({ url, connectionName: "stand-in-rest-api" });
    await conn.onConnect(5000, true);
    const ch = await conn.acquire();
    const { queue } = await ch.queueDeclare({ queue: "", exclusive: true, autoDelete: true });
    const client = new RestRpcClient(
      conn,
      ch,
      queue,
      options.namespace ? `${options.namespace}.` : "",
    );
    await ch.basicConsume({ queue, noAck: true }, (msg) => {
      const id = msg.correlationId;
      const resolve = id === undefined ? undefined : client.#waiting.get(id);
      if (resolve !== undefined && id !== undefined) {
        client.#waiting.delete(id);
        resolve(msg);
      }
    });
    return client;
  }

  /** Calls `method(*args)` on `queue` (default `gateway_rpc`), re-publishing until answered. */
  async call(
    method: string,
    args: readonly unknown[],
    options: { queue?: string; republishMs?: number; giveUpMs?: number } = {},
  ): Promise<RestRpcReply> {
    const correlationId = crypto.randomUUID();
    const body = JSON.stringify({ method, args, kwargs: {} });
    const answered = new Promise<AsyncMessage>((resolve) =>
      this.#waiting.set(correlationId, resolve)
    );
    const publish = () => {
      this.published++;
      return this.#ch.basicPublish({
        routingKey: this.#prefix + (options.queue ?? "gateway_rpc"),
        correlationId,
        replyTo: this.#replyQueue,
        contentType: "text/plain",
      }, body);
    };
    const deadline = Date.now() + (options.giveUpMs ?? 30_000);
    try {
      await publish();
      while (true) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), options.republishMs ?? 250);
        });
        const msg = await Promise.race([answered, tick]);
        clearTimeout(timer);
        if (msg !== null) {
          const text = typeof msg.body === "string"
            ? msg.body
            : msg.body instanceof Uint8Array
            ? decoder.decode(msg.body)
            : JSON.stringify(msg.body);
          return JSON.parse(text) as RestRpcReply;
        }
        if (Date.now() > deadline) throw new Error(`${method}: no answer (test safety net)`);
        await publish();
      }
    } finally {
      this.#waiting.delete(correlationId);
    }
  }

  async close(): Promise<void> {
    await this.#ch.close().catch(() => {});
    await this.#conn.close();
  }
}
