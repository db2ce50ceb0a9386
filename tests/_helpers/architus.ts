import { AmqpBus } from "../../gateway/bus/mod.ts";
import { ArchitusShard } from "../../testing/architus_shard.ts";
import { DISCORD_GUILDS } from "../../testing/architus_shard_data.ts";
import { FakeDiscord } from "../../testing/fake_discord.ts";
import { deleteQueues } from "./broker.ts";
import { AMQP_TEST_URL, startTestNode, type TestNode, tokenFor, wsUrl } from "./node.ts";
import { WsClient } from "./ws_client.ts";

/** The backend deadline of these nodes: short, so quirks that time out end quickly. */
export const DEADLINE_MS = 800;

/** A gateway node in `BACKEND_PROTOCOL=architus` mode before a stand-in shard and a fake Discord. */
export interface ArchitusWorld {
  readonly node: TestNode;
  readonly shard: ArchitusShard;
  readonly discord: FakeDiscord;
  /** A connection elevated by cookie as `userId` (a REST API token; `standard`: without `access_token`). */
  client(userId: string, style?: "rest" | "standard"): Promise<WsClient>;
  anonymous(): Promise<WsClient>;
}

/**
 * Runs `fn` against a fresh node on the real broker whose backend is the
 * stand-in shard (two shards; `only` limits which answer at all), then
 * releases everything and deletes the queues it left.
 */
export async function withArchitus(
  fn: (world: ArchitusWorld) => Promise<void>,
  options: { only?: number[] } = {},
): Promise<void> {
  const ns = `arch${crypto.randomUUID().slice(0, 8)}`;
  const shardBus = new AmqpBus({ url: AMQP_TEST_URL, namespace: ns, name: "stand-in-shard" });
  await shardBus.start();
  const shard = new ArchitusShard(shardBus, { shards: 2 });
  await shard.start(options.only);
  const discord = new FakeDiscord(DISCORD_GUILDS);
  const clients: WsClient[] = [];
  let node: TestNode | undefined;
  try {
    node = await startTestNode({
      AMQP_URL: AMQP_TEST_URL,
      BUS_NAMESPACE: ns,
      NUM_SHARDS: "2",
      BACKEND_PROTOCOL: "architus",
      DISCORD_API_BASE: discord.url,
      BACKEND_TIMEOUT_MS: String(DEADLINE_MS),
    });
    const running = node;
    const open = async (headers: Record<string, string>) => {
      const c = await WsClient.connect(wsUrl(running), headers);
      clients.push(c);
      return c;
    };
    await fn({
      node,
      shard,
      discord,
      client: async (userId, style = "rest") =>
        open({ cookie: `dev-token=${await tokenFor(userId, { style })}` }),
      anonymous: () => open({}),
    });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await node?.shutdown(1000);
    await shard.stop();
    await shardBus.shutdown();
    await discord.close();
    await deleteQueues(
      `${ns}.gateway.revocations`,
      `${ns}.gateway_rpc`,
      `${ns}.shard_rpc_0`,
      `${ns}.shard_rpc_1`,
    );
  }
}

/** Every chunk of a pool request: all its data, its nonexistent ids, and its terminal frame. */
export async function pool(
  c: WsClient,
  frame: Record<string, unknown>,
): Promise<
  { data: Array<Record<string, unknown>>; nonexistent: string[]; last: Record<string, unknown> }
> {
  const frames = await c.request(frame, 5000);
  const last = frames[frames.length - 1]!;
  return {
    data: frames.flatMap((f) => (f.data ?? []) as Array<Record<string, unknown>>),
    nonexistent: frames.flatMap((f) => (f.nonexistent ?? []) as string[]),
    last,
  };
}

/** The `error` name a request ended with (a terminal pool chunk's, or an error frame's). */
export function errorOf(last: Record<string, unknown>): string | undefined {
  if (last._event === "error") return last.error as string;
  return (last.error as { error?: string } | undefined)?.error;
}
