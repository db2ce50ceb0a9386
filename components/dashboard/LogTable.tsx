// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { LogEvent } from "../../client/mod.ts";
import type { NameLookup } from "../../lib/dashboard/name_directory.ts";
import { LogRow } from "./LogRow.tsx";

export interface LogTableProps {
  /** Rows in the list. */
  readonly count: number;
  /** The row at `index` from the top (0 is the newest). */
  readonly rowAt: (index: number) => LogEvent | undefined;
  /** Where an event is now, from the top; -1 when it is not shown. */
  readonly indexOf: (id: string) => number;
  readonly names: NameLookup;
  readonly namesVersion: number;
  readonly onAgent: (id: string) => void;
  /** Changing it (another guild, another filter) scrolls back to the newest. */
  readonly resetKey: string;
  /** Shown (and said, politely) when there are no rows: "Joining…", "Waiting for events…". */
  readonly empty: string;
  /** The table's accessible name. */
  readonly label: string;
}

/** Rows rendered above and below the viewport, so fast scrolling shows no blank. */
const OVERSCAN = 8;
/** The fallback when the stylesheet does not say (`--log-row-height`). */
const DEFAULT_ROW_HEIGHT = 36;

/** Where the view is held when it is not at the top: the top row and how far into it. */
interface Anchor {
  readonly id: string;
  readonly offset: number;
}

/**
 * The virtualised event list: only the rows in view (and a few around
 * them) are in the DOM, each at `index × row height`. At the top it
 * follows the newest events; scrolled down, it stays on the rows being
 * read while newer ones arrive above and older ones are trimmed below.
 *
 * It is an ARIA table: the scrolling element is the table (focusable, so
 * the keyboard scrolls it), its header row sticks to the top, and the rows
 * in the DOM carry their place among all of them (`aria-rowindex` of
 * `aria-rowcount`), so a screen reader knows how many there are.
 */
export function LogTable(props: LogTableProps): VNode {
  const { count, rowAt } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  /** The rows' visible height; null until the observer first reports it. */
  const [measuredViewport, setViewport] = useState<number | null>(null);
  const viewport = measuredViewport ?? 0;
  const [rowHeight, setRowHeight] = useState(DEFAULT_ROW_HEIGHT);
  const anchor = useRef<Anchor | null>(null);
  /** The scroll position last written or seen: a different one means the reader scrolled. */
  const lastTop = useRef(0);
  /** The rows as last drawn, to tell which row a scroll position was on. */
  const drawnRowAt = useRef(rowAt);
  const frame = useRef<number | undefined>(undefined);

  // The row height comes from CSS (taller rows on phones): measured with the viewport,
  // by the observer alone. It reports once at the start, after the browser's own layout
  // and before the first paint; measuring here as well would force a layout of its own.
  // No row is drawn before that report: the rows it then draws are drawn before the
  // first paint all the same, and none is drawn (and laid out) in vain.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const measure = () => {
      const declared = parseFloat(
        getComputedStyle(element).getPropertyValue("--log-row-height"),
      );
      setRowHeight(Number.isFinite(declared) && declared > 0 ? declared : DEFAULT_ROW_HEIGHT);
      // Rows are seen below the sticky header row.
      setViewport(element.clientHeight - (body.current?.offsetTop ?? 0));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => () => cancelAnimationFrame(frame.current ?? 0), []);

  useLayoutEffect(() => {
    anchor.current = null;
    // Setting the position lays the page out: only when it is not at the top already.
    if (lastTop.current !== 0 && scroller.current !== null) scroller.current.scrollTop = 0;
    lastTop.current = 0;
    setScrollTop(0);
  }, [props.resetKey]);

  /**
   * Notes where the reader scrolled to, as the row then at the top: near
   * the top means "follow the newest". Run from the scroll handler, and on
   * a render while held on a row, since a render may come before the scroll
   * event does. (Reading the position makes the browser lay out the page:
   * following the newest, the common case, a render never asks.)
   */
  const observe = (element: HTMLElement) => {
    const at = element.scrollTop;
    if (Math.abs(at - lastTop.current) < 1) return;
    lastTop.current = at;
    if (at < rowHeight / 2) {
      anchor.current = null;
      return;
    }
    const index = Math.floor(at / rowHeight);
    const event = drawnRowAt.current(index);
    anchor.current = event === undefined ? null : { id: event.id, offset: at - index * rowHeight };
  };
  if (scroller.current !== null && anchor.current !== null) observe(scroller.current);

  // Held on a row: where that row is now decides the scroll position.
  let top = 0;
  const held = anchor.current;
  if (held !== null) {
    const index = props.indexOf(held.id);
    top = index >= 0 ? index * rowHeight + held.offset : scrollTop;
  }
  top = Math.max(0, Math.min(top, count * rowHeight - viewport));

  useLayoutEffect(() => {
    drawnRowAt.current = rowAt;
    const element = scroller.current;
    if (element === null) return;
    if (Math.abs(lastTop.current - top) < 1) return;
    element.scrollTop = top;
    lastTop.current = top;
  });

  const onScroll = () => {
    const element = scroller.current;
    if (element !== null) observe(element);
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      setScrollTop(scroller.current?.scrollTop ?? 0);
    });
  };

  /**
   * The scrolling keys, done here and at once: the browser's own smooth
   * scroll would race the redraws that keep a held view on its rows. Home
   * goes back to following the newest. Keys pressed on a control inside a
   * row are the control's.
   */
  const onKeyDown = (event: KeyboardEvent) => {
    const element = scroller.current;
    if (element === null || event.target !== element || event.altKey || event.ctrlKey) return;
    const page = Math.max(rowHeight, viewport - rowHeight);
    const steps: Record<string, number> = {
      ArrowDown: rowHeight,
      ArrowUp: -rowHeight,
      PageDown: page,
      PageUp: -page,
      " ": event.shiftKey ? -page : page,
    };
    const from = element.scrollTop;
    const to = event.key === "Home"
      ? 0
      : event.key === "End"
      ? count * rowHeight
      : Object.hasOwn(steps, event.key)
      ? from + (steps[event.key] as number)
      : undefined;
    if (to === undefined) return;
    event.preventDefault();
    element.scrollTop = Math.max(0, to);
    observe(element);
    setScrollTop(element.scrollTop);
  };

  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  // Rows wait for the first measurement: drawn before it, most would be the wrong ones.
  const last = measuredViewport === null
    ? 0
    : Math.min(count, Math.ceil((top + viewport) / rowHeight) + OVERSCAN);
  const rows: VNode[] = [];
  for (let index = first; index < last; index++) {
    const event = rowAt(index);
    if (event === undefined) continue;
    rows.push(
      <LogRow
        key={event.id}
        event={event}
        index={index}
        top={index * rowHeight}
        names={props.names}
        namesVersion={props.namesVersion}
        onAgent={props.onAgent}
      />,
    );
  }

  return (
    <div class="log-table">
      <div
        class="log-scroll"
        ref={scroller}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        role="table"
        aria-label={props.label}
        aria-rowcount={count + 1}
        tabIndex={0}
        data-testid="log-scroll"
      >
        <div class="log-head-group" role="rowgroup">
          <div class="log-head" role="row" aria-rowindex={1}>
            <span class="log-cell log-time" role="columnheader">Time</span>
            <span class="log-cell log-type" role="columnheader">Type</span>
            <span class="log-cell log-agent" role="columnheader">Agent</span>
            <span class="log-cell log-channel" role="columnheader">Channel</span>
            <span class="log-cell log-content" role="columnheader">Content</span>
          </div>
        </div>
        <div
          class="log-rows"
          ref={body}
          role="rowgroup"
          style={{ height: `${count * rowHeight}px` }}
        >
          {rows}
        </div>
      </div>
      {count === 0 && <p class="log-empty" role="status">{props.empty}</p>}
    </div>
  );
}
