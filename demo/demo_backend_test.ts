import { MemoryBus } from "../gateway/bus/mod.ts";
import { runBackendContract } from "../testing/backend_contract.ts";
import { BackendRpc } from "../gateway/backend/backend_rpc.ts";
import { serveBackend } from "../gateway/backend/backend_server.ts";
import { createDemoDataset } from "./dataset/dataset.ts";
import { DemoBackend } from "./demo_backend.ts";

runBackendContract("DemoBackend", () => {
  const backend = new DemoBackend(createDemoDataset({ bigGuildMembers: 300 }));
  return Promise.resolve({ backend, close: () => Promise.resolve() });
});

runBackendContract("BackendRpc over MemoryBus", async () => {
  const bus = new MemoryBus();
  await bus.start();
  const served = await serveBackend(
    bus,
    new DemoBackend(createDemoDataset({ bigGuildMembers: 300 })),
    {
      shards: 4,
    },
  );
  const backend = new BackendRpc(bus, { shards: 4, timeoutMs: 2000 });
  return {
    backend,
    close: async () => {
      await served.unsubscribe();
      await bus.shutdown();
    },
  };
});
