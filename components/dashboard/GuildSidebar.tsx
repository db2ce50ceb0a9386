// This module is browser-compatible.
import type { VNode } from "preact";
import { useState } from "preact/hooks";
import type { PartialGuild } from "../../client/mod.ts";
import { addArchitusUrl, mayAddArchitus } from "../../lib/dashboard/add_architus.ts";
import { initialsOf, tintOf } from "../../lib/dashboard/guild_icon.ts";
import { formatCount } from "../../lib/format_count.ts";

/** A guild known by id and name only (the demo guilds offered to staff). */
export interface GuildRef {
  readonly id: string;
  readonly name: string;
}

export interface GuildSidebarProps {
  /** The user's guilds with Architus (the `partial_guild` pool); null while it loads. */
  readonly guilds: readonly PartialGuild[] | null;
  /** The user's Discord guilds without Architus. */
  readonly withoutArchitus: readonly PartialGuild[];
  readonly error: string | null;
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
  /** Offered when the list is empty: staff belong to no guild but may open any. */
  readonly quickGuilds: readonly GuildRef[];
  readonly account: { readonly id: string; readonly name: string };
  /** Where the sign-out form posts; null when signing out happens elsewhere. */
  readonly signOutAction: string | null;
}

const ID = /^[0-9]{1,20}$/;

function GuildIcon({ id, name }: GuildRef): VNode {
  return <span class={`guild-icon ${tintOf(id)}`} aria-hidden="true">{initialsOf(name)}</span>;
}

function GuildButton(
  { guild, meta, selected, onSelect }: {
    guild: GuildRef;
    meta: string;
    selected: boolean;
    onSelect: (id: string) => void;
  },
): VNode {
  return (
    <button
      type="button"
      class={selected ? "guild guild-selected" : "guild"}
      aria-current={selected ? "true" : undefined}
      data-testid="guild"
      data-guild-id={guild.id}
      title={guild.name}
      onClick={() => onSelect(guild.id)}
    >
      <GuildIcon id={guild.id} name={guild.name} />
      <span class="guild-text">
        <span class="guild-name">{guild.name}</span>
        <span class="guild-meta">{meta}</span>
      </span>
    </button>
  );
}

/**
 * A Discord guild Architus is not in: "Add Architus" (Discord's bot
 * authorisation) where the user may add bots, else who can.
 */
function GuildWithoutArchitus({ guild }: { guild: PartialGuild }): VNode {
  const canAdd = mayAddArchitus(guild.permissions);
  return (
    <li
      class="guild guild-absent"
      data-testid="guild-without-architus"
      data-guild-id={guild.id}
      data-can-add={canAdd ? "true" : "false"}
    >
      <GuildIcon id={guild.id} name={guild.name} />
      <span class="guild-text">
        <span class="guild-name">{guild.name}</span>
        {canAdd
          ? (
            <a
              class="add-architus"
              href={addArchitusUrl(guild.id)}
              target="_blank"
              rel="noopener noreferrer"
              aria-label={`Add Architus to ${guild.name}`}
            >
              Add Architus
            </a>
          )
          : <span class="guild-meta">No Architus · a server admin can add it</span>}
      </span>
    </li>
  );
}

/** The account and the guilds to pick from, with "open by id" for staff. */
export function GuildSidebar(props: GuildSidebarProps): VNode {
  const { guilds, selected, onSelect } = props;
  const [byId, setById] = useState("");
  const empty = guilds !== null && guilds.length === 0;
  const openById = (event: Event) => {
    event.preventDefault();
    const id = byId.trim();
    if (ID.test(id)) onSelect(id);
  };
  return (
    <aside class="dash-side" aria-label="Servers">
      <div class="account" data-testid="account" data-user-id={props.account.id}>
        <span class={`avatar-initial ${tintOf(props.account.id)}`} aria-hidden="true">
          {initialsOf(props.account.name.replace(/_/g, " "))}
        </span>
        <span class="account-text">
          <span class="account-name">{props.account.name}</span>
          <span class="account-id">{props.account.id}</span>
        </span>
        {props.signOutAction !== null && (
          <form method="post" action={props.signOutAction} class="sign-out">
            <button type="submit" class="button-link" data-testid="sign-out">Sign out</button>
          </form>
        )}
      </div>

      <h2 class="side-title">Your servers</h2>
      <div class="guild-area" aria-busy={guilds === null && props.error === null}>
        {guilds === null && props.error === null && <p class="side-note">Loading servers…</p>}
        {props.error !== null && <p class="side-note side-error" role="alert">{props.error}</p>}
        {guilds !== null && guilds.length > 0 && (
          <ul class="guild-list">
            {guilds.map((guild) => (
              <li key={guild.id}>
                <GuildButton
                  guild={guild}
                  meta={`${formatCount(guild.member_count)} members${
                    guild.architus_admin ? " · admin" : ""
                  }`}
                  selected={guild.id === selected}
                  onSelect={onSelect}
                />
              </li>
            ))}
          </ul>
        )}
        {empty && (
          <>
            <p class="side-note">
              You are a member of no server. Architus staff may open any server:
            </p>
            <ul class="guild-list" data-testid="quick-guilds">
              {props.quickGuilds.map((guild) => (
                <li key={guild.id}>
                  <GuildButton
                    guild={guild}
                    meta={guild.id}
                    selected={guild.id === selected}
                    onSelect={onSelect}
                  />
                </li>
              ))}
            </ul>
          </>
        )}
        {props.withoutArchitus.length > 0 && (
          <>
            <h2 class="side-title">Without Architus</h2>
            <ul class="guild-list" data-testid="guilds-without-architus">
              {props.withoutArchitus.map((guild) => (
                <GuildWithoutArchitus key={guild.id} guild={guild} />
              ))}
            </ul>
          </>
        )}
      </div>
      <details class="open-by-id" open={empty}>
        <summary>Open a server by id</summary>
        <form onSubmit={openById}>
          <label class="sr-only" for="guild-id-input">Server id</label>
          <input
            id="guild-id-input"
            class="field-input"
            inputMode="numeric"
            pattern="[0-9]{1,20}"
            placeholder="Server id"
            value={byId}
            onInput={(event) => setById((event.currentTarget as HTMLInputElement).value)}
            data-testid="guild-id-input"
          />
          <button type="submit" class="button button-small" disabled={!ID.test(byId.trim())}>
            Open
          </button>
        </form>
      </details>
    </aside>
  );
}
