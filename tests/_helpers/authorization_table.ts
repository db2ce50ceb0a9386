/**
 * The authorisation table: what each tier may do in the demo guild
 * "Architus Demo". The matrix test checks the gateway against it, and the
 * README shows it (a test keeps the two the same).
 */
export const TIERS = [
  "anonymous",
  "non_member",
  "member",
  "discord_admin",
  "architus_admin",
  "architus_staff",
] as const;
export type TierName = typeof TIERS[number];

export interface Operation {
  /** What is tried, as the README shows it. */
  readonly name: string;
  /** The tiers that are allowed; every other tier is refused. */
  readonly allowed: readonly TierName[];
}

const ALL: readonly TierName[] = TIERS;
const ELEVATED: readonly TierName[] = TIERS.filter((t) => t !== "anonymous");
const MEMBERS: readonly TierName[] = [
  "member",
  "discord_admin",
  "architus_admin",
  "architus_staff",
];
const GUILD_MEMBERS: readonly TierName[] = ["member", "discord_admin", "architus_admin"];
const SETTINGS: readonly TierName[] = ["discord_admin", "architus_admin", "architus_staff"];
const PRIVATE: readonly TierName[] = ["architus_admin", "architus_staff"];

export const OPERATIONS: readonly Operation[] = [
  { name: "session, request_elevation", allowed: ALL },
  { name: "interpret (ping, mock_user_event, interpret)", allowed: ALL },
  // The guild's members only: staff may watch any guild but are not in it for the bot.
  { name: "bot channel: interpret in the guild (development)", allowed: GUILD_MEMBERS },
  { name: "spectate the guild", allowed: MEMBERS },
  { name: "receive pool updates (log_pool)", allowed: MEMBERS },
  { name: "receive public log events", allowed: MEMBERS },
  { name: "receive private log events", allowed: PRIVATE },
  { name: "pool member / channel / role / customEmoji / auto_response", allowed: MEMBERS },
  { name: "pool_search member", allowed: MEMBERS },
  { name: "pool setting_value (and its updates)", allowed: SETTINGS },
  { name: "pool user / partial_user by ids", allowed: ELEVATED },
  { name: "pool guild / partial_guild (own guilds)", allowed: ELEVATED },
  { name: "logs_request (history)", allowed: MEMBERS },
  { name: "private events in history", allowed: PRIVATE },
];

const MARK: Record<string, string> = { true: "✅", false: "—" };

/** The table as the README shows it (markdown). */
export function authorizationMarkdown(): string {
  const head = `| operation | ${TIERS.join(" | ")} |`;
  const rule = `| --- | ${TIERS.map(() => ":-:").join(" | ")} |`;
  const rows = OPERATIONS.map((op) =>
    `| ${op.name} | ${TIERS.map((t) => MARK[String(op.allowed.includes(t))]).join(" | ")} |`
  );
  return [head, rule, ...rows].join("\n");
}
