import assert from "node:assert/strict";
import { Connection } from "../connection/connection.ts";
import { Diagnostics } from "../observability/diagnostics.ts";
import { FakeTransport } from "../../testing/fake_transport.ts";
import { LogDelivery } from "./log_delivery.ts";
import { logFrame, type WireEvent } from "./wire_event.ts";

const LIMITS = { softBytes: 1024, hardBytes: 1 << 20, maxHeld: 100, slowCloseMs: 60_000 };
const GUILD = "5";

const wire = (...ids: number[]): WireEvent[] =>
  ids.map((id) => ({ id: String(id), json: `{"id":"${id}"}`, private: false }));

/** The ids of the events a log frame carries. */
const idsIn = (frame: Record<string, unknown>): string[] =>
  (frame.events as Array<{ id: string }>).map((e) => e.id);

function setup(options: { replaying?: boolean } = {}) {
  const transport = new FakeTransport();
  const connection = new Connection({
    id: "c",
    transport,
    log: new Diagnostics({ sink: () => {} }),
    limits: { burst: 10, perSecond: 10, strikes: 10, strikeWindowMs: 1000 },
    outbound: LIMITS,
  });
  const delivery = new LogDelivery({
    connection,
    guildId: GUILD,
    includePrivate: false,
    limits: LIMITS,
    replaying: options.replaying ?? false,
  });
  const send = (...ids: number[]) => {
    const events = wire(...ids);
    delivery.deliver(events, logFrame(GUILD, events), { sent: 0, held: 0, dropped: 0 });
  };
  return { transport, delivery, send };
}

Deno.test("LogDelivery tells an outage gap exactly before the next event: after the last sent, up to just before it", () => {
  const { transport, delivery, send } = setup();
  send(100, 101, 102);
  delivery.openOutage("200");
  assert.equal(delivery.outagePending, true);
  send(250, 251);
  const frames = transport.frames();
  assert.deepEqual(frames[1], {
    _event: "log_gap",
    guild_id: GUILD,
    after: "102",
    until: "249",
    reason: "bus_outage",
  });
  assert.deepEqual(idsIn(frames[2]!), ["250", "251"]);
  assert.equal(delivery.outagePending, false);
  send(252);
  assert.equal(transport.frames().filter((f) => f._event === "log_gap").length, 1, "told once");
});

Deno.test("LogDelivery passes events minted before the bus came back and tells the gap before the first fresh one", () => {
  const { transport, delivery, send } = setup();
  send(100, 101, 102);
  delivery.openOutage("200");
  // A publisher sending what it held through the outage: older than the resume, inside the gap.
  send(150, 151);
  assert.equal(delivery.outagePending, true, "no fresh event yet");
  send(180, 250, 251);
  const frames = transport.frames();
  assert.deepEqual(idsIn(frames[1]!), ["150", "151"]);
  assert.deepEqual(idsIn(frames[2]!), ["180"], "the stale part of a mixed batch goes first");
  assert.deepEqual(
    [frames[3]!._event, frames[3]!.after, frames[3]!.until],
    ["log_gap", "102", "249"],
    "from the last event before the loss, so what the held-back publisher never sent is covered",
  );
  assert.deepEqual(idsIn(frames[4]!), ["250", "251"]);
  assert.equal(delivery.outagePending, false);
});

Deno.test("LogDelivery closes an outage gap at a given point when no event comes", () => {
  const { transport, delivery, send } = setup();
  send(7);
  delivery.openOutage("300");
  delivery.closeOutage("500");
  send(501);
  const [, gap, next] = transport.frames();
  assert.deepEqual([gap!.after, gap!.until], ["7", "500"]);
  assert.deepEqual(idsIn(next!), ["501"]);
});

Deno.test("LogDelivery behind on its socket turns an outage into one gap covering what it held", () => {
  const { transport, delivery, send } = setup();
  send(10);
  transport.bufferedAmount = 4096; // over the soft bound: events are held
  send(11, 12);
  assert.equal(delivery.heldCount, 2);
  delivery.openOutage("50");
  send(90);
  transport.bufferedAmount = 0;
  delivery.pump(Date.now());
  const frames = transport.frames();
  const gap = frames.find((f) => f._event === "log_gap")!;
  assert.deepEqual([gap.after, gap.until, gap.reason], ["10", "89", "bus_outage"]);
  const after = frames.slice(frames.indexOf(gap) + 1).flatMap(idsIn);
  assert.deepEqual(after, ["90"], "the held events are in the gap, the new one follows it");
});

Deno.test("LogDelivery sends a replayed event once when its live copy arrives after the replay", () => {
  const { transport, delivery, send } = setup({ replaying: true });
  // The backend wrote 101-103 to its history before the bus delivered them: the replay has
  // them, and 102's and 103's live copies come during and after it.
  send(102);
  delivery.finishReplay(wire(101, 102, 103));
  send(103, 104);
  send(103);
  send(105);
  assert.deepEqual(
    transport.frames().flatMap(idsIn),
    ["101", "102", "103", "104", "105"],
    "each event once, in order",
  );
});
