/**
 * The message bus: interface, topic scheme and implementations.
 *
 * @module
 */
export {
  type Bus,
  BusError,
  type BusHandler,
  type RequestOptions,
  type RpcHandler,
  type Subscription,
  topicMatches,
} from "./bus.ts";
export { MemoryBroker, MemoryBus } from "./bus_memory.ts";
export { AmqpBus, type AmqpBusOptions } from "./bus_amqp.ts";
export * from "./topics.ts";
