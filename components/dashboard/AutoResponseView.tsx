// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useMemo, useRef } from "preact/hooks";
import type { AutoResponse } from "../../client/mod.ts";
import type { LiveChange } from "../../lib/dashboard/live_changes.ts";
import { useLiveChanges } from "../../lib/dashboard/use_live_changes.ts";
import { safeColor } from "../../lib/dashboard/name_directory.ts";
import { useAnnouncer } from "../../lib/dashboard/use_announcer.ts";
import { useNames } from "../../lib/dashboard/use_names.ts";
import { usePool } from "../../lib/dashboard/use_pool.ts";
import { readableColor } from "../../lib/contrast.ts";
import { ViewAnnouncer, ViewHeader, ViewProblem } from "./ViewHeader.tsx";
import { formatCount } from "../../lib/format_count.ts";
import { compareNatural } from "../../lib/natural_order.ts";

const ACTIONS = { add: "added", update: "changed", remove: "removed" } as const;

/** What a screen reader hears of a push: "Auto response “hi” added". */
function describe(change: LiveChange, known: AutoResponse | undefined): string {
  const entity = change.entity as Partial<AutoResponse> | undefined;
  const trigger = entity?.trigger ?? known?.trigger;
  return `Auto response ${trigger === undefined ? "" : `“${trigger}” `}${ACTIONS[change.action]}`;
}

/**
 * The guild's auto responses: trigger, response, author and uses, in a
 * table kept live by `log_pool` pushes (through the store's pool reducer):
 * a new or changed response is marked for a moment, a removed one leaves,
 * and a screen reader hears what changed.
 */
export function AutoResponseView(
  { guildId, guildName }: { guildId: string; guildName: string },
): VNode {
  const { slice, failure } = usePool("auto_response", guildId);
  const names = useNames(guildId);
  const { text, announce } = useAnnouncer();
  const ready = slice.fullyPopulated;
  // A removed response is gone from the pool by the time its push is heard: keep the last seen.
  const lastSeen = useRef(slice.entities);
  const marked = useLiveChanges("auto_response", guildId, (change) => {
    announce(describe(change, lastSeen.current[change.id] ?? slice.entities[change.id]));
  });
  useEffect(() => {
    lastSeen.current = slice.entities;
  });
  const responses = useMemo(
    () =>
      Object.values(slice.entities).sort((a, b) =>
        compareNatural(a.trigger, b.trigger) || (a.id < b.id ? -1 : 1)
      ),
    [slice.entities],
  );
  names.want(responses.flatMap((response) => response.author_id ? [response.author_id] : []));

  return (
    <section
      class="entity-view auto-responses"
      aria-labelledby="auto-responses-title"
      data-testid="auto-response-view"
      data-guild-id={guildId}
      data-ready={ready ? "true" : "false"}
      data-count={responses.length}
    >
      <ViewHeader
        id="auto-responses-title"
        title="Auto responses"
        count={ready ? `${formatCount(responses.length)} in ${guildName}` : undefined}
      />
      <ViewAnnouncer text={text} />
      {failure !== null && (
        <ViewProblem text={`Could not load the auto responses: ${failure.human}`} />
      )}
      <div class="entity-scroll" tabIndex={0} aria-label={`Auto responses of ${guildName}`}>
        <table class="entity-table" aria-busy={!ready && failure === null}>
          <caption class="sr-only">Auto responses of {guildName}, by trigger</caption>
          <thead>
            <tr>
              <th scope="col">Trigger</th>
              <th scope="col">Response</th>
              <th scope="col">Author</th>
              <th scope="col" class="num">Uses</th>
            </tr>
          </thead>
          <tbody>
            {!ready && failure === null && (
              <tr>
                <td colSpan={4} class="entity-empty">Loading auto responses…</td>
              </tr>
            )}
            {ready && responses.length === 0 && (
              <tr>
                <td colSpan={4} class="entity-empty">
                  No auto responses yet. Teach one with <code>!set trigger::response</code>.
                </td>
              </tr>
            )}
            {responses.map((response) => {
              const author = response.author_id ? names.member(response.author_id) : null;
              const color = safeColor(author?.color);
              return (
                <tr
                  key={response.id}
                  class={marked.has(response.id) ? "entity-row entity-row-fresh" : "entity-row"}
                  data-testid="auto-response"
                  data-id={response.id}
                  data-trigger={response.trigger}
                  data-fresh={marked.has(response.id) ? "true" : undefined}
                >
                  <td class="ar-trigger">
                    <code>{response.trigger}</code>
                    {response.mode !== "punctuated" && <span class="ar-mode">{response.mode}</span>}
                  </td>
                  <td class="ar-response">{response.response}</td>
                  <td class="ar-author">
                    {response.author_id === null || response.author_id === undefined
                      ? <span class="faint">unknown</span>
                      : author === undefined
                      ? <span class="faint">…</span>
                      : author === null
                      ? <span class="faint">left the server</span>
                      : (
                        <span
                          class="member-name"
                          style={color === undefined ? undefined : { color: readableColor(color) }}
                        >
                          {author.name}
                        </span>
                      )}
                  </td>
                  <td class="num">{formatCount(response.count)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
