// This module is browser-compatible.
import { Component, type VNode } from "preact";
import { LogAgentSpecialType, type LogEvent } from "../../client/mod.ts";
import { logTypeInfo } from "../../lib/dashboard/log_types.ts";
import { readableColor } from "../../lib/contrast.ts";
import { type NameLookup, safeColor } from "../../lib/dashboard/name_directory.ts";
import { FillQueue } from "../../lib/dashboard/fill_queue.ts";
import { NamesSeen } from "../../lib/dashboard/names_seen.ts";
import { RichContent } from "./RichContent.tsx";

export interface LogRowProps {
  readonly event: LogEvent;
  /** Position in the list, from the top. */
  readonly index: number;
  readonly top: number;
  readonly names: NameLookup;
  /** Changes when names arrive, so rows showing ids render again. */
  readonly namesVersion: number;
  readonly onAgent: (id: string) => void;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `14:05:09` in the browser's zone; the full date is in the title. */
export function formatLogTime(timestamp: number): string {
  const date = new Date(timestamp);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * `2026-11-30 14:05:09` in the browser's zone, for a row's title. Written by
 * hand: `toLocaleString` would load the engine's date formats on the first
 * row (several milliseconds in Chromium), in the middle of opening a guild.
 */
export function formatLogDateTime(timestamp: number): string {
  const date = new Date(timestamp);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${
    formatLogTime(timestamp)
  }`;
}

/** An empty cell: a dash to the eye, a word to a screen reader. */
function None(): VNode {
  return (
    <span class="log-none">
      <span aria-hidden="true">—</span>
      <span class="sr-only">none</span>
    </span>
  );
}

const SPECIAL: Readonly<Record<number, string>> = {
  [LogAgentSpecialType.Bot]: "BOT",
  [LogAgentSpecialType.Webhook]: "WEBHOOK",
  [LogAgentSpecialType.System]: "SYSTEM",
  [LogAgentSpecialType.Architus]: "ARCHITUS",
};

interface RowCellsProps {
  readonly event: LogEvent;
  readonly names: NameLookup;
  readonly namesVersion: number;
  readonly onAgent: (id: string) => void;
}

/**
 * A row's cells: drawn again only when its event or the names it shows
 * change, not when the row moves (every new event moves every row), nor
 * when names arrive for other rows.
 */
class RowCells extends Component<RowCellsProps> {
  readonly #seen = new NamesSeen();

  override shouldComponentUpdate(next: RowCellsProps): boolean {
    const now = this.props;
    if (next.event !== now.event || next.names !== now.names) return true;
    return next.namesVersion !== now.namesVersion && this.#seen.changedIn(next.names);
  }

  override render(): VNode {
    const { event, onAgent } = this.props;
    const names = this.#seen.through(this.props.names);
    const type = logTypeInfo(event.type);
    const agentId = event.agent_id ?? null;
    const agent = agentId === null ? undefined : names.member(agentId);
    const channelId = event.channel_id ?? null;
    const channel = channelId === null ? undefined : names.channel(channelId);
    const special = SPECIAL[event.agent_special_type ?? 0];
    const agentColor = safeColor(agent?.color);
    const date = new Date(event.timestamp);
    return (
      <>
        <span class="log-cell log-time" role="cell">
          <time dateTime={date.toISOString()} title={formatLogDateTime(event.timestamp)}>
            {formatLogTime(event.timestamp)}
          </time>
        </span>
        <span class="log-cell log-type" role="cell">
          <span class={`type-pill tone-${type.tone}`} title={`Event type ${event.type}`}>
            {type.label}
          </span>
        </span>
        <span class="log-cell log-agent" role="cell">
          {agentId === null ? <None /> : (
            <button
              type="button"
              class={agent ? "agent" : "agent agent-pending"}
              title={`${agent?.name ?? "Member"} (${agentId}): show only this agent`}
              style={agentColor === undefined ? undefined : { color: readableColor(agentColor) }}
              onClick={() => onAgent(agentId)}
            >
              {agent?.name ?? agentId}
            </button>
          )}
          {special !== undefined && <span class="agent-tag">{special}</span>}
        </span>
        <span class="log-cell log-channel" role="cell">
          {channelId === null
            ? <None />
            : (
              <span class={channel ? "channel-ref" : "channel-ref pending"}>
                #{channel ?? channelId}
              </span>
            )}
        </span>
        <span class="log-cell log-content" role="cell">
          {event.private && (
            <span class="private-badge" role="img" title="Private event" aria-label="Private event">
              🔒
            </span>
          )}
          <span class="log-text">
            <RichContent text={event.content} names={names} />
            {event.reason && <span class="log-reason">· reason: {event.reason}</span>}
          </span>
        </span>
      </>
    );
  }
}

/**
 * Rows whose cells are drawn in one task of the browser; the rest of a
 * screenful (a guild opened, a page of history) follow in the next tasks.
 * A cold row with rich content takes a millisecond or two on a slow phone.
 */
export const ROWS_PER_TASK = 3;

/** One queue for the page: the budget is the browser's task, whichever table draws. */
const fills = new FillQueue(ROWS_PER_TASK);

/**
 * One event of the log viewer, absolutely placed at `top`. A class with
 * `shouldComponentUpdate`: a busy log renders often, and a row only changes
 * when it moves or a name it shows arrives; moving redraws only the row's
 * own element. A new row draws its cells when the task's budget allows
 * (`ROWS_PER_TASK`); until then it holds its place, empty, as
 * `log-row-pending`.
 */
export class LogRow extends Component<LogRowProps> {
  #filled = false;
  #cancel: (() => void) | null = null;

  override shouldComponentUpdate(next: LogRowProps): boolean {
    const now = this.props;
    return next.event !== now.event || next.top !== now.top || next.index !== now.index ||
      next.namesVersion !== now.namesVersion || next.names !== now.names;
  }

  override componentWillUnmount(): void {
    this.#cancel?.();
  }

  #fill(): boolean {
    if (this.#filled) return true;
    if (fills.take()) {
      this.#filled = true;
      this.#cancel = null;
      return true;
    }
    this.#cancel ??= fills.wait(() => {
      this.#cancel = null;
      this.forceUpdate();
    });
    return false;
  }

  override render(): VNode {
    const { event, names, namesVersion, onAgent } = this.props;
    const filled = this.#fill();
    return (
      <div
        class={event.private ? "log-row log-row-private" : "log-row"}
        role="row"
        aria-rowindex={this.props.index + 2}
        data-testid={filled ? "log-row" : "log-row-pending"}
        data-id={event.id}
        data-type={event.type}
        data-private={event.private ? "true" : "false"}
        data-agent-id={event.agent_id ?? undefined}
        style={{ transform: `translateY(${this.props.top}px)` }}
      >
        {filled && (
          <RowCells event={event} names={names} namesVersion={namesVersion} onAgent={onAgent} />
        )}
      </div>
    );
  }
}
