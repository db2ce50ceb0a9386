// This module is browser-compatible.
import type { ComponentChildren, JSX, VNode } from "preact";

/** Whether this render runs in a browser (the server renders without a DOM). */
const IN_BROWSER = typeof document !== "undefined";

/** Preact leaves an element's DOM as it is when it hydrates one with inner HTML. */
const KEEP = { __html: "" } as const;

export type AdoptedProps = Omit<JSX.HTMLAttributes<HTMLDivElement>, "children"> & {
  /** What the server renders inside; never called in the browser. */
  readonly render: () => ComponentChildren;
};

/**
 * A `div` whose content the server renders and the browser adopts as it is:
 * hydration neither builds nor compares it, so static content the page will
 * replace once it is live (the front page's preview transcript) costs the
 * hydrating task nothing. Its own attributes update as usual. Only for
 * server-rendered islands: a `div` first rendered in the browser stays empty.
 */
export function Adopted({ render, ...attributes }: AdoptedProps): VNode {
  if (IN_BROWSER) return <div {...attributes} dangerouslySetInnerHTML={KEEP} />;
  return <div {...attributes}>{render()}</div>;
}
