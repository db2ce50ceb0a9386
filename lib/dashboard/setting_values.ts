// This module is browser-compatible.
import type { SettingValue } from "../../client/mod.ts";
import type { NameLookup } from "./name_directory.ts";

/** What a setting's id means, for people; unknown ids are shown as they are. */
const LABELS: Readonly<Record<string, string>> = {
  prefix: "Command prefix",
  log_channel_id: "Log channel",
  join_leave_channel_id: "Join and leave channel",
  announcements_channel_id: "Announcements channel",
  bot_commands_channels: "Bot command channels",
  admins_ids: "Architus admins",
  responses_enabled: "Auto responses",
  responses_limit: "Auto responses per member",
  afk_channel_id: "AFK channel",
  default_role_id: "Default role",
  music_enabled: "Music",
  music_volume: "Music volume",
  music_role_id: "DJ role",
  starboard_enabled: "Starboard",
  starboard_channel_id: "Starboard channel",
  starboard_emoji: "Starboard emoji",
  starboard_threshold: "Starboard threshold",
};

export function settingLabel(id: string): string {
  return LABELS[id] ?? id.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** One part of a setting's value: text, or an entity named by id. */
export type ValuePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "channel"; readonly id: string; readonly name: string | null | undefined }
  | { readonly kind: "member"; readonly id: string; readonly name: string | null | undefined }
  | { readonly kind: "role"; readonly id: string; readonly name: string | null | undefined };

const ID = /^[0-9]{15,20}$/;

type EntityKind = "channel" | "member" | "role";

function entity(kind: EntityKind, id: string, names: NameLookup): ValuePart {
  if (kind === "channel") return { kind, id, name: names.channel(id) };
  const found = kind === "role" ? names.role(id) : names.member(id);
  return { kind, id, name: found === null ? null : found?.name };
}

/** Which entity a setting's ids name, from its id's ending. */
function kindOf(id: string): EntityKind | null {
  if (/channels?(_ids?)?$/.test(id)) return "channel";
  if (/roles?(_ids?)?$/.test(id)) return "role";
  if (/_ids?$/.test(id)) return "member";
  return null;
}

/**
 * A setting's value in parts: channel ids (`…_channel_id`, `…_channels`),
 * role ids (`…_role_id`) and member ids (`…_ids`) become names, booleans read as on or off, an
 * empty list as "none", anything else its JSON.
 */
export function valueParts(setting: SettingValue, names: NameLookup): ValuePart[] {
  const { id, value } = setting;
  const kind = kindOf(id);
  const list = Array.isArray(value) ? value : [value];
  if (kind !== null && list.every((item) => typeof item === "string" && ID.test(item))) {
    if (list.length === 0) return [{ kind: "text", text: "none" }];
    return list.map((item) => entity(kind, item as string, names));
  }
  if (typeof value === "boolean") return [{ kind: "text", text: value ? "on" : "off" }];
  if (typeof value === "string") return [{ kind: "text", text: value }];
  if (Array.isArray(value) && value.length === 0) return [{ kind: "text", text: "none" }];
  return [{ kind: "text", text: JSON.stringify(value) ?? String(value) }];
}
