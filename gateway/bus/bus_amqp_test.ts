import { Connection } from "rabbitmq-client";
import { runBusContract } from "../../testing/bus_contract.ts";
import { AmqpBus } from "./bus_amqp.ts";

import { AMQP_TEST_URL } from "../../tests/_helpers/node.ts";

async function deleteQueue(queue: string): Promise<void> {
  const conn = new Connection({ url: AMQP_TEST_URL });
  try {
    await conn.queueDelete({ queue });
  } finally {
    await conn.close();
  }
}

runBusContract("AmqpBus", async () => {
  const a = new AmqpBus({ url: AMQP_TEST_URL, name: "contract-a" });
  const b = new AmqpBus({ url: AMQP_TEST_URL, name: "contract-b" });
  await a.start();
  await b.start();
  return {
    a,
    b,
    close: async () => {
      await a.shutdown();
      await b.shutdown();
    },
    dropLog: (log) => deleteQueue(log),
    dropTicket: (name) => deleteQueue(name),
  };
});
