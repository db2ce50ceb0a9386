import { Connection } from "rabbitmq-client";
import { AMQP_TEST_URL } from "./node.ts";

/** Runs `rabbitmqctl -q <args>` against the local broker; resolves its output. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const out = await new Deno.Command("rabbitmqctl", { args: ["-q", ...args], stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`rabbitmqctl ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** Closes, broker side, every AMQP connection whose client named itself `name`. */
export async function closeConnectionsNamed(name: string): Promise<number> {
  const listing = await rabbitmqctl("list_connections", "pid", "client_properties");
  const pids = listing.split("\n")
    .filter((line) => line.includes(`{"connection_name","${name}"}`))
    .map((line) => line.split("\t")[0]!);
  for (const pid of pids) await rabbitmqctl("close_connection", pid, "test: connection cut");
  return pids.length;
}

/** Deletes queues a test made on the shared broker (durable logs outlive their nodes). */
export async function deleteQueues(...queues: string[]): Promise<void> {
  const conn = new Connection({ url: AMQP_TEST_URL });
  try {
    for (const queue of queues) await conn.queueDelete({ queue }).catch(() => {});
  } finally {
    await conn.close();
  }
}
