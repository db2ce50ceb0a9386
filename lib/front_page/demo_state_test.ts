import assert from "node:assert/strict";
import { demoReducer, GUILD_ID_LIMIT, initialDemoState } from "./demo_state.ts";
import { DEMO_CHANNELS } from "./demos.ts";

Deno.test("initialDemoState() - every channel has its own mock guild below the limit", () => {
  const state = initialDemoState();
  assert.equal(state.active, "auto-response-demo");
  const ids = Object.values(state.channels).map((channel) => channel.guildId);
  assert.equal(ids.length, DEMO_CHANNELS.length);
  for (const id of ids) assert.ok(Number.isInteger(id) && id >= 0 && id < GUILD_ID_LIMIT);
  const top = initialDemoState(() => 0.9999999999);
  for (const channel of Object.values(top.channels)) assert.ok(channel.guildId < GUILD_ID_LIMIT);
});

Deno.test("demoReducer() - the auto-typer cannot type once the visitor took over", () => {
  const channel = "auto-response-demo";
  let state = initialDemoState();
  state = demoReducer(state, { type: "autotype", channel, text: "!he" });
  assert.equal(state.channels[channel]?.draft, "!he");
  state = demoReducer(state, { type: "takeover", channel });
  assert.equal(state.channels[channel]?.auto, false);
  assert.equal(state.channels[channel]?.draft, "", "the half-typed line is dropped");
  state = demoReducer(state, { type: "draft", channel, text: "mine" });
  const before = state;
  state = demoReducer(state, { type: "autotype", channel, text: "!help" });
  assert.equal(state, before, "a late keystroke from the typer is ignored");
  state = demoReducer(state, { type: "takeover", channel });
  assert.equal(state.channels[channel]?.draft, "mine", "a second focus keeps the visitor's text");
  state = demoReducer(state, { type: "resume", channel });
  assert.equal(state.channels[channel]?.auto, true);
});

Deno.test("demoReducer() - channels keep separate transcripts", () => {
  let state = initialDemoState();
  state = demoReducer(state, { type: "autotype", channel: "auto-response-demo", text: "!se" });
  state = demoReducer(state, {
    type: "visitor",
    channel: "auto-response-demo",
    id: 0,
    content: "hi",
    at: 1,
  });
  state = demoReducer(state, { type: "select", channel: "help" });
  assert.equal(state.active, "help");
  assert.equal(state.channels["auto-response-demo"]?.draft, "", "switching drops a typed line");
  assert.equal(state.channels["auto-response-demo"]?.messages.length, 1);
  assert.equal(state.channels.help?.messages.length, 0);
  assert.equal(demoReducer(state, { type: "select", channel: "nope" }), state);
  state = demoReducer(state, { type: "clear", channel: "auto-response-demo" });
  assert.equal(state.channels["auto-response-demo"]?.messages.length, 0);
});
