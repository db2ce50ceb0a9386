import { runBusContract } from "./_bus_contract.ts";
import { AmqpBus } from "./bus_amqp.ts";

/** The broker the AMQP tests use; `deno task test` starts the local one when it is down. */
export const AMQP_TEST_URL = Deno.env.get("AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672";

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
  };
});
