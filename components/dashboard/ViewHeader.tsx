// This module is browser-compatible.
import type { ComponentChildren, VNode } from "preact";

/** The heading row of an entity view: its title, a count, and what goes on the right. */
export function ViewHeader(
  { id, title, count, children }: {
    id: string;
    title: string;
    count?: string;
    children?: ComponentChildren;
  },
): VNode {
  return (
    <header class="view-header">
      <h2 class="view-title" id={id}>{title}</h2>
      {count !== undefined && <span class="view-count" data-testid="view-count">{count}</span>}
      <span class="view-header-end">{children}</span>
    </header>
  );
}

/** A polite live region: what changed, said once, without stealing focus. */
export function ViewAnnouncer({ text }: { text: string }): VNode {
  return <p class="sr-only" role="status" aria-live="polite" data-testid="view-announcer">{text}
  </p>;
}

/** Why a view could not load, for people. */
export function ViewProblem({ text }: { text: string }): VNode {
  return <div class="log-notice log-notice-error" role="alert">{text}</div>;
}
