/**
 * What the entity-view suites share: opening a guild's tab, the frames on
 * the page's WebSocket, and the development bot channel.
 *
 * @module
 */
import type { Page } from "playwright-core";

export type GuildTabName = "log" | "auto-responses" | "members" | "channels-roles" | "settings";

/** Opens a tab of the watched guild and waits for its panel. */
export async function openTab(page: Page, tab: GuildTabName): Promise<void> {
  await page.locator(`[role="tab"][data-tab="${tab}"]`).click();
  await page.locator(`.guild-view[data-tab="${tab}"]`).waitFor({ timeout: 5_000 });
}

/** Every frame the page sent and received on its WebSockets, parsed, from now on. */
export interface Wire {
  readonly sent: Record<string, unknown>[];
  readonly received: Record<string, unknown>[];
}

function parse(payload: string | Buffer): Record<string, unknown> | null {
  try {
    const value = JSON.parse(String(payload));
    return typeof value === "object" && value !== null ? value : null;
  } catch {
    return null;
  }
}

/** Starts recording the page's WebSocket frames (call before the page opens its socket). */
export function recordWire(page: Page): Wire {
  const wire: Wire = { sent: [], received: [] };
  page.on("websocket", (socket) => {
    socket.on("framesent", ({ payload }) => {
      const frame = parse(payload);
      if (frame !== null) wire.sent.push(frame);
    });
    socket.on("framereceived", ({ payload }) => {
      const frame = parse(payload);
      if (frame !== null) wire.received.push(frame);
    });
  });
  return wire;
}

/** The pool requests sent for a type (`pool_all_request`, `pool_request`, `pool_search`). */
export function poolRequests(wire: Wire, type: string, event?: string): Record<string, unknown>[] {
  return wire.sent.filter((frame) =>
    typeof frame._event === "string" && frame._event.startsWith("pool_") && frame.type === type &&
    (event === undefined || frame._event === event)
  );
}

/** Types a line into the bot channel and waits for the bot's answer to contain `reply`. */
export async function botSay(page: Page, text: string, reply: string | RegExp): Promise<void> {
  const before = await page.locator('[data-testid="bot-line"][data-author="bot"]').count();
  await page.locator('[data-testid="bot-channel-input"]').fill(text);
  await page.locator('[data-testid="bot-channel-input"]').press("Enter");
  const answer = page.locator('[data-testid="bot-line"][data-author="bot"]').nth(before);
  await answer.waitFor({ timeout: 10_000 });
  const said = await answer.textContent() ?? "";
  const ok = typeof reply === "string" ? said.includes(reply) : reply.test(said);
  if (!ok) throw new Error(`the bot said ${JSON.stringify(said)}, not ${reply}`);
}

/** Resolves when the page has a row matching `selector`, in ms since `since`. */
export async function appearsWithin(
  page: Page,
  selector: string,
  since: number,
  timeoutMs: number,
): Promise<number> {
  await page.locator(selector).first().waitFor({ timeout: timeoutMs });
  return Date.now() - since;
}
