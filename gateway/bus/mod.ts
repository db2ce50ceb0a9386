/**
 * The message bus: interface, topic scheme and implementations.
 *
 * @module
 */
export {
  type Bus,
  BusError,
  type BusErrorSink,
  type BusHandler,
  type RequestOptions,
  type RpcHandler,
  type Subscription,
} from "./bus.ts";
export { TopicIndex, topicMatches } from "./topic_index.ts";
export * from "./bus_codec.ts";
export { MemoryBroker, MemoryBus } from "./bus_memory.ts";
export { AmqpBus, type AmqpBusOptions } from "./bus_amqp.ts";
export * from "./topics.ts";
