/**
 * The child side of the runner's control channel, for the Node peer: the
 * same protocol as `../lib/control.ts` (JSON commands on stdin, answers on
 * stdout prefixed with `@@bench `). Exits when stdin closes.
 *
 * @module
 */
import { createInterface } from "node:readline";

const PREFIX = "@@bench ";

/** @param {unknown} message */
function emit(message) {
  process.stdout.write(PREFIX + JSON.stringify(message) + "\n");
}

/**
 * @param {Record<string, unknown>} info
 * @param {Record<string, (args: any) => unknown>} handlers
 * @param {() => unknown} [onExit]
 */
export function serveControl(info, handlers, onExit = () => {}) {
  emit({ ready: true, info: { pid: process.pid, ...info } });
  let exiting = false;
  /** @param {number} code */
  const exit = async (code) => {
    if (!exiting) {
      exiting = true;
      try {
        await onExit();
      } catch { /* exiting anyway */ }
    }
    process.exit(code);
  };
  const lines = createInterface({ input: process.stdin });
  lines.on("line", async (line) => {
    if (line.trim().length === 0) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.cmd === "exit") {
      emit({ id: msg.id, ok: true, result: null });
      await exit(0);
      return;
    }
    const handler = handlers[msg.cmd];
    if (handler === undefined) {
      emit({ id: msg.id, ok: false, error: `unknown command ${msg.cmd}` });
      return;
    }
    try {
      const result = await handler(msg.args ?? {});
      emit({ id: msg.id, ok: true, result: result ?? null });
    } catch (error) {
      emit({
        id: msg.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  lines.on("close", () => void exit(0));
}

/** Memory of this process after a full collection (with `--expose-gc`), in bytes. */
export async function gcAndMeasure() {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
  if (gc !== undefined) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
    gc();
  }
  return { ...process.memoryUsage(), gc: gc !== undefined };
}
