// This module is browser-compatible.
import type { Channel, Role } from "../../client/mod.ts";

/** A kind of channel, as Discord names it in its channel settings. */
export interface ChannelGroup {
  readonly kind: "category" | "text" | "voice";
  readonly label: string;
  readonly channels: readonly Channel[];
}

const KINDS = [
  { kind: "category", label: "Categories" },
  { kind: "text", label: "Text channels" },
  { kind: "voice", label: "Voice channels" },
] as const;

const byPosition = <T extends { position?: number | undefined; id: string }>(a: T, b: T) =>
  (a.position ?? 0) - (b.position ?? 0) || (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

/**
 * Channels by kind, each kind in Discord's order (its `position`, ties by
 * id as Discord breaks them). A channel without a kind is a text channel.
 */
export function channelGroups(channels: Iterable<Channel>): ChannelGroup[] {
  const all = [...channels];
  return KINDS.map(({ kind, label }) => ({
    kind,
    label,
    channels: all.filter((channel) => (channel.type ?? "text") === kind).sort(byPosition),
  })).filter((group) => group.channels.length > 0);
}

/** Roles as Discord's settings list them: highest first, @everyone last. */
export function rolesInOrder(roles: Iterable<Role>): Role[] {
  return [...roles].sort((a, b) => byPosition(b, a));
}
