// This module is browser-compatible.
import type { VNode } from "preact";
import { useMemo } from "preact/hooks";
import { ArchitusPermission, hasPermission } from "../../client/mod.ts";
import { settingLabel, type ValuePart, valueParts } from "../../lib/dashboard/setting_values.ts";
import { useNames } from "../../lib/dashboard/use_names.ts";
import { usePool } from "../../lib/dashboard/use_pool.ts";
import { useSelector } from "../../lib/dashboard/use_store.ts";
import { watchOf } from "../../lib/dashboard/watch_state.ts";
import { ViewHeader, ViewProblem } from "./ViewHeader.tsx";

function Part({ part }: { part: ValuePart }): VNode {
  if (part.kind === "text") return <span class="setting-text">{part.text}</span>;
  const prefix = part.kind === "channel" ? "#" : "@";
  const name = part.name === undefined ? "…" : part.name === null ? part.id : part.name;
  return (
    <span class={`chip chip-${part.kind === "channel" ? "channel" : "user"}`}>{prefix}{name}</span>
  );
}

function NoAccess({ guildName }: { guildName: string }): VNode {
  return (
    <div class="settings-locked" data-testid="settings-forbidden" role="note">
      <span class="settings-lock" aria-hidden="true">🔒</span>
      <h3>You can’t view {guildName}’s settings</h3>
      <p>
        Settings are shown to members with Architus’ <strong>View settings</strong>{" "}
        permission. Your roles in this server don’t include it: ask one of its admins if you need
        it.
      </p>
    </div>
  );
}

/**
 * The guild's Architus settings, for members with VIEW_SETTINGS (the
 * gateway says which bits are in force when the guild is watched). Without
 * it nothing is asked: the view says access is missing.
 */
export function SettingsView(
  { guildId, guildName }: { guildId: string; guildName: string },
): VNode {
  const watch = useSelector((state) => watchOf(state.watch, guildId));
  const allowed = watch !== null &&
    hasPermission(watch.permissions, ArchitusPermission.VIEW_SETTINGS);
  const { slice, failure } = usePool("setting_value", guildId, { enabled: allowed });
  const names = useNames(guildId, { guildPools: allowed });
  const settings = useMemo(
    () => slice.ids.map((id) => slice.entities[id]).filter((s) => s !== undefined),
    [slice],
  );
  const forbidden = (watch !== null && !allowed) || failure?.error === "forbidden";
  const state = watch === null
    ? "checking"
    : forbidden
    ? "forbidden"
    : slice.fullyPopulated
    ? "ready"
    : "loading";
  for (const setting of settings) {
    if (setting.id.endsWith("_ids") && Array.isArray(setting.value)) {
      names.want(setting.value.filter((id): id is string => typeof id === "string"));
    }
  }
  return (
    <section
      class="entity-view settings"
      aria-labelledby="settings-title"
      data-testid="settings-view"
      data-guild-id={guildId}
      data-state={state}
    >
      <ViewHeader
        id="settings-title"
        title="Settings"
        count={state === "ready" ? `${settings.length} values` : undefined}
      />
      {state === "checking" && <p class="entity-empty" role="status">Checking your access…</p>}
      {state === "forbidden" && <NoAccess guildName={guildName} />}
      {!forbidden && failure !== null && (
        <ViewProblem text={`Could not load the settings: ${failure.human}`} />
      )}
      {state === "loading" && failure === null && (
        <p class="entity-empty" role="status">Loading settings…</p>
      )}
      {state === "ready" && (
        <div class="entity-scroll" tabIndex={0} aria-label={`Settings of ${guildName}`}>
          <table class="entity-table settings-table">
            <caption class="sr-only">Architus settings of {guildName}</caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {settings.map((setting) => (
                <tr key={setting.id} class="entity-row" data-testid="setting" data-id={setting.id}>
                  <th scope="row" class="setting-name">
                    {settingLabel(setting.id)}
                    <code class="setting-id">{setting.id}</code>
                  </th>
                  <td class="setting-value">
                    {valueParts(setting, names).map((part, index) => (
                      <Part key={index} part={part} />
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
