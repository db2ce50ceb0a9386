/**
 * Part "amqp": the RabbitMQ path at Architus' shape (issue 20). A bot shard
 * publishes each Discord event as one AMQP message as it happens, and a node
 * watches many guilds at once, so:
 *
 * - **shapes**: one gateway node on the local broker, its spectators (1,000)
 *   spread over 10, 100 and 1,000 guilds, a separate publisher process
 *   sending one message per ~340-byte event (`gateway-amqp`), side by side
 *   with the same events batched per guild per 5 ms tick
 *   (`gateway-amqp-batched`). Offered load is stepped in events per second
 *   until the node no longer keeps up. Every step reports the node's CPU per
 *   message and per delivery, and the broker's and the publisher's, so the
 *   limit can be read off;
 * - **consumers**: what consuming alone costs per message, by consumer
 *   (`../clients/amqp_consumer.ts`): the gateway's `AmqpBus`, the
 *   `rabbitmq-client` consumer it is built on (with and without acks), its
 *   bare channel, and a hand-cut frame reader as the floor.
 *
 * @module
 */
import { spawnDeno } from "../lib/child.ts";
import { log, medianOf, type PartContext, sleep } from "../lib/common.ts";
import { brokerPid, round, Sampler, type Usage, waitForCalm } from "../lib/proc.ts";
import { AMQP_URL, brokerReachable, SYSTEM_LABELS } from "../lib/systems.ts";
import { nowMs, scenarioGuilds } from "../shared/log_events.mjs";
import { runSystem, type ScenarioResult } from "./fanout.ts";

export interface ConsumerRow {
  mode: string;
  label: string;
  /** Messages per second the publisher sent and the consumer got, in the window. */
  published: number;
  received: number;
  consumerCores: number;
  /** CPU per message, µs. */
  consumerUs: number;
  brokerCores: number;
  brokerUs: number;
  publisherCores: number;
  publisherUs: number;
  otherCores: number;
}

export interface AmqpResult {
  /** Spectators of the node in every shape. */
  spectators: number;
  referenceRate: number;
  /** One entry per guild count; its systems are the two publisher shapes. */
  shapes: ScenarioResult[];
  consumers: { rate: number; guilds: number; rows: ConsumerRow[]; error?: string };
}

export const CONSUMER_LABELS: Record<string, string> = {
  bus: "the gateway's AmqpBus (rabbitmq-client Consumer, exact-topic dispatch)",
  consumer: "rabbitmq-client Consumer, no acks",
  "consumer-ack": "rabbitmq-client Consumer, acks, prefetch 100",
  channel: "rabbitmq-client channel basicConsume, no acks",
  wire: "frames cut by hand (the floor of JS reading and decoding)",
};

export async function runAmqp(part: PartContext): Promise<AmqpResult> {
  const a = part.settings.amqp;
  if (!(await brokerReachable())) throw new Error(`RabbitMQ is not reachable at ${AMQP_URL}`);
  const shapes: ScenarioResult[] = [];
  for (const guilds of a.guildCounts) {
    const perGuild = Math.max(1, Math.round(a.spectators / guilds));
    const scenario = {
      id: `${guilds}x${perGuild}`,
      title: `${guilds.toLocaleString("en-US")} guilds × ${perGuild} spectator${
        perGuild === 1 ? "" : "s"
      }`,
      guilds,
      perGuild,
      systems: a.systems,
    };
    const result: ScenarioResult = {
      ...scenario,
      startedAt: new Date().toISOString(),
      systems: [],
    };
    // Rates are events per second; the ladder counts deliveries (× spectators per guild).
    const ladder = {
      steps: a.rates.map((r) => r * perGuild),
      extraSteps: a.extraRates.map((r) => r * perGuild),
      halfLoad: false,
    };
    for (const system of a.systems) {
      log(`amqp ${scenario.id}: ${system}`);
      try {
        result.systems.push(await runSystem(part, scenario, system, ladder));
      } catch (error) {
        log(`amqp ${scenario.id} ${system} failed: ${error}`);
        result.systems.push({
          system,
          label: SYSTEM_LABELS[system],
          steps: [],
          saturationThroughput: NaN,
          saturated: false,
          error: error instanceof Error ? error.message.slice(0, 500) : String(error),
        });
      }
    }
    shapes.push(result);
  }
  let consumers: AmqpResult["consumers"];
  try {
    consumers = await runConsumers(part);
  } catch (error) {
    log(`amqp consumers failed: ${error}`);
    consumers = {
      rate: a.consumers.rate,
      guilds: a.consumers.guilds,
      rows: [],
      error: error instanceof Error ? error.message.slice(0, 500) : String(error),
    };
  }
  return { spectators: a.spectators, referenceRate: a.referenceRate, shapes, consumers };
}

/**
 * Each consumer mode in turn, in a fresh process bound to the guilds' keys,
 * while the publisher sends one message per event at `rate`; repeated, the
 * modes interleaved, and the median kept.
 */
async function runConsumers(part: PartContext): Promise<AmqpResult["consumers"]> {
  const { modes, rate, guilds: count } = part.settings.amqp.consumers;
  const s = part.settings;
  const guilds = scenarioGuilds(count) as string[];
  const keys = guilds.map((g) => `guild.${g}.log.public`);
  const namespace = `bench-${Deno.pid}-consumers`;
  const publisher = await spawnDeno("amqp-publisher", "bench/publishers/amqp_publisher.ts", {
    env: { AMQP_URL, BUS_NAMESPACE: namespace },
  });
  const runs = new Map<string, ConsumerRow[]>(modes.map((m) => [m, []]));
  try {
    for (let r = 0; r < s.repeats; r++) {
      for (const mode of modes) {
        const consumer = await spawnDeno("amqp-consumer", "bench/clients/amqp_consumer.ts");
        try {
          await consumer.call("start", { mode, url: AMQP_URL, namespace, keys }, 120_000);
          // The previous consumer's queue and bindings are deleted by the broker meanwhile.
          await waitForCalm(brokerPid());
          const t0 = nowMs() + 300;
          const sampler = new Sampler({
            consumer: consumer.pid,
            publisher: publisher.pid,
            broker: brokerPid(),
          });
          let usage: Usage | undefined;
          let counted: [number, number] = [0, 0];
          setTimeout(async () => {
            sampler.start();
            counted[0] = (await consumer.call<{ messages: number }>("stats")).messages;
          }, t0 + s.warmMs - nowMs());
          setTimeout(async () => {
            usage = sampler.stop();
            counted = [counted[0], (await consumer.call<{ messages: number }>("stats")).messages];
          }, t0 + s.warmMs + s.measureMs - nowMs());
          const load = await publisher.call<
            { messages: number; startedAt: number; endedAt: number }
          >(
            "publish",
            {
              step: part.nextStep(),
              startAt: t0,
              durationMs: s.warmMs + s.measureMs,
              eventsPerSecond: rate,
              guilds,
              tickMs: 5,
              perEvent: true,
            },
            s.warmMs + s.measureMs + 60_000,
          );
          while (usage === undefined || counted[1] === 0) await sleep(20);
          const seconds = s.measureMs / 1000;
          const received = (counted[1] - counted[0]) / seconds;
          const sent = load.messages / ((load.endedAt - load.startedAt) / 1000);
          const p = usage.processes;
          const us = (cores: number | undefined) =>
            cores === undefined || received <= 0 ? NaN : round((cores * 1e6) / received, 1);
          runs.get(mode)!.push({
            mode,
            label: CONSUMER_LABELS[mode] ?? mode,
            published: Math.round(sent),
            received: Math.round(received),
            consumerCores: p.consumer?.cores ?? NaN,
            consumerUs: us(p.consumer?.cores),
            brokerCores: p.broker?.cores ?? NaN,
            brokerUs: us(p.broker?.cores),
            publisherCores: p.publisher?.cores ?? NaN,
            publisherUs: us(p.publisher?.cores),
            otherCores: usage.otherCores,
          });
        } finally {
          await consumer.stop();
        }
      }
    }
  } finally {
    await publisher.call("cleanup", {}, 10_000).catch(() => {});
    await publisher.stop();
  }
  const rows = modes.map((mode) => ({
    ...medianOf(runs.get(mode)!),
    mode,
    label: CONSUMER_LABELS[mode] ?? mode,
  }));
  for (const row of rows) {
    log(
      `  consumer ${row.mode}: ${row.consumerUs} µs/message ` +
        `(broker ${row.brokerUs}, publisher ${row.publisherUs})`,
    );
  }
  return { rate, guilds: count, rows };
}
