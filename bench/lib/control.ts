/**
 * The child side of the runner's control channel: JSON commands, one per
 * line on stdin (`{"id", "cmd", "args"}`), answers on stdout as lines
 * prefixed with `@@bench ` (anything else a child prints is ignored). The
 * first line announces readiness with `info`. Commands run concurrently.
 * When stdin closes (the runner is gone) the child exits.
 *
 * @module
 */

export const CONTROL_PREFIX = "@@bench ";

// deno-lint-ignore no-explicit-any
export type CommandHandler = (args: any) => unknown;

const encoder = new TextEncoder();

function emit(message: unknown): void {
  Deno.stdout.writeSync(encoder.encode(CONTROL_PREFIX + JSON.stringify(message) + "\n"));
}

/** Serves `handlers` until stdin closes or `exit` is received, then calls `onExit`. */
export async function serveControl(
  info: Record<string, unknown>,
  handlers: Record<string, CommandHandler>,
  onExit: () => Promise<void> | void = () => {},
): Promise<never> {
  emit({ ready: true, info: { pid: Deno.pid, ...info } });
  const decoder = new TextDecoder();
  let buffer = "";
  let exiting = false;
  const exit = async (code: number): Promise<never> => {
    if (!exiting) {
      exiting = true;
      try {
        await onExit();
      } catch { /* exiting anyway */ }
    }
    Deno.exit(code);
  };
  const handle = async (line: string) => {
    let msg: { id: number; cmd: string; args?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.cmd === "exit") {
      emit({ id: msg.id, ok: true, result: null });
      await exit(0);
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
  };
  for await (const chunk of Deno.stdin.readable) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line.length > 0) void handle(line);
    }
  }
  return await exit(0);
}
