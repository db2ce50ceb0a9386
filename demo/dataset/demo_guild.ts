import type {
  AutoResponse,
  Channel,
  CustomEmoji,
  Member,
  Role,
  SettingValue,
} from "../../gateway/protocol/mod.ts";

/** One demo guild as the dataset seeds it. */
export interface DemoGuild {
  /** A Discord snowflake, as a decimal string. */
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
  readonly ownerId: string;
  /** The guild's explicit Architus admin list (may be empty). */
  readonly adminIds: readonly string[];
  readonly members: readonly Member[];
  readonly channels: readonly Channel[];
  /** Includes @everyone (id = guild id, permissions 0); `permissions` is the Discord bitfield. */
  readonly roles: readonly Role[];
  readonly emojis: readonly CustomEmoji[];
  readonly autoResponses: readonly AutoResponse[];
  readonly settings: readonly SettingValue[];
  /** Architus permission bits per member id; members not listed hold DEFAULT_ARCHITUS_PERMISSIONS (0x112). */
  readonly architusPermissions: ReadonlyMap<string, number>;
}
