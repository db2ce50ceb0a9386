import assert from "node:assert/strict";
import { type AutoTyperHost, type AutoTyperTiming, playScript } from "./auto_typer.ts";
import type { ScriptSet } from "./demos.ts";

const FAST: AutoTyperTiming = {
  keyMinMs: 0,
  keyMaxMs: 0,
  lineMs: 0,
  readPerCharMs: 0,
  readMaxMs: 0,
  setMs: 0,
};

const SCRIPT: readonly ScriptSet[] = [
  { setup: ["!remove a"], steps: ["ab", { react: "✅" }], cleanup: ["!remove b"] },
  { steps: ["c"] },
];

function recorder(stopAfter: number, controller: AbortController) {
  const log: string[] = [];
  const note = (entry: string) => {
    log.push(entry);
    if (log.length >= stopAfter) controller.abort();
  };
  const host: AutoTyperHost = {
    type: (text) => note(`type ${text}`),
    send: (content, silent) => {
      note(`${silent ? "silent" : "send"} ${content}`);
      return Promise.resolve(content.length);
    },
    react: (emoji) => {
      note(`react ${emoji}`);
      return Promise.resolve();
    },
    clear: () => note("clear"),
  };
  return { log, host };
}

Deno.test("playScript() - setup, typing, reactions, cleanup, and around again", async () => {
  const controller = new AbortController();
  const { log, host } = recorder(20, controller);
  const position = { set: 0, step: 0 };
  await playScript(SCRIPT, position, host, controller.signal, { timing: FAST });
  assert.deepEqual(log.slice(0, 20), [
    "clear",
    "silent !remove a",
    "type a",
    "type ab",
    "type ",
    "send ab",
    "react ✅",
    "silent !remove b",
    "clear",
    "type c",
    "type ",
    "send c",
    "clear",
    "silent !remove a",
    "type a",
    "type ab",
    "type ",
    "send ab",
    "react ✅",
    "silent !remove b",
  ]);
});

Deno.test("playScript() - resumes where it stopped without repeating a sent line", async () => {
  const first = new AbortController();
  const position = { set: 0, step: 0 };
  const one = recorder(6, first);
  await playScript(SCRIPT, position, one.host, first.signal, { timing: FAST });
  assert.equal(one.log.at(-1), "send ab");
  assert.deepEqual(position, { set: 0, step: 1 });
  const second = new AbortController();
  const two = recorder(3, second);
  await playScript(SCRIPT, position, two.host, second.signal, { timing: FAST });
  assert.deepEqual(two.log, ["react ✅", "silent !remove b", "clear"]);
});

Deno.test("playScript() - an abort mid-line stops typing at once", async () => {
  const controller = new AbortController();
  const { log, host } = recorder(2, controller);
  await playScript([{ steps: ["hello"] }], { set: 0, step: 0 }, host, controller.signal, {
    timing: { ...FAST, keyMinMs: 5, keyMaxMs: 5 },
  });
  assert.deepEqual(log, ["clear", "type h"]);
});
