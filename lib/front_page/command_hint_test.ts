import assert from "node:assert/strict";
import { commandHint } from "./command_hint.ts";
import { DEMO_CHANNELS } from "./demos.ts";

const channel = (id: string) => DEMO_CHANNELS.find((c) => c.id === id)!;

Deno.test("commandHint names the channel where a command works", () => {
  const auto = channel("auto-response-demo");
  assert.equal(
    commandHint('!poll "lunch?" pizza, tacos', auto, DEMO_CHANNELS),
    "`!poll` works in #polls-schedules-demo.",
  );
  assert.equal(
    commandHint("!set hi::hey", channel("polls-schedules-demo"), DEMO_CHANNELS),
    "`!set` works in #auto-response-demo.",
  );
  assert.equal(
    commandHint("!SCHEDULE x 8pm", auto, DEMO_CHANNELS),
    "`!schedule` works in #polls-schedules-demo.",
  );
});

Deno.test("commandHint says nothing where the command works, for !help, text or unknown commands", () => {
  const auto = channel("auto-response-demo");
  assert.equal(commandHint("!set hi::hey", auto, DEMO_CHANNELS), null);
  assert.equal(commandHint("!help", auto, DEMO_CHANNELS), null);
  assert.equal(commandHint("hello !poll", auto, DEMO_CHANNELS), null);
  assert.equal(commandHint("!dance", auto, DEMO_CHANNELS), null);
  assert.equal(commandHint("!poll a", channel("help"), DEMO_CHANNELS), null);
});
