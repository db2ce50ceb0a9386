// This module is browser-compatible.
import type { DemoChannel } from "./demos.ts";

const COMMAND = /^!([a-z]+)\b/i;

/**
 * What to tell a visitor whose command does not work in this channel: the
 * channel where it does ("`!poll` works in #polls-schedules-demo."), the
 * dedicated one before #help. Null when the command works here (`!help`
 * works everywhere), is not a command, or no demo channel knows it.
 */
export function commandHint(
  content: string,
  channel: DemoChannel,
  channels: readonly DemoChannel[],
): string | null {
  const name = COMMAND.exec(content.trim())?.[1]?.toLowerCase();
  if (name === undefined || name === "help" || channel.allowedCommands.includes(name)) return null;
  const homes = channels.filter((other) => other.allowedCommands.includes(name));
  const home = homes.find((other) => other.id !== "help") ?? homes[0];
  return home === undefined ? null : `\`!${name}\` works in #${home.name}.`;
}
