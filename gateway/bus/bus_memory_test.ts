import { runBusContract } from "../../testing/bus_contract.ts";
import { MemoryBroker, MemoryBus } from "./bus_memory.ts";

runBusContract("MemoryBus", async () => {
  const broker = new MemoryBroker();
  const a = new MemoryBus(broker);
  const b = new MemoryBus(broker);
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
