// This module is browser-compatible.
/**
 * Hydrates a page's islands: finds the markers the server rendered and
 * hydrates each from its own props. Each page has its own entry
 * (`boot/pages.ts`) naming the islands it may hold, so a page's script
 * carries only those. Islands are independent: one that fails is reported
 * and left as server-rendered HTML, the others still come alive.
 *
 * Each island hydrates in a task of its own, after the scripts have been
 * evaluated: between the two (and between islands) the browser may paint
 * and answer input, instead of sitting through one long task.
 *
 * @module
 */
import { type FunctionComponent, h, hydrate } from "preact";
import type { IslandName, ISLANDS } from "./islands.ts";

/** Some of the islands, by the name their markers carry. */
export type IslandSet = { readonly [N in IslandName]?: typeof ISLANDS[N] };

function hydrateLater(run: () => void): void {
  setTimeout(() => {
    try {
      run();
    } catch (error) {
      globalThis.reportError(error);
    }
  }, 0);
}

/**
 * Schedules the hydration of every `[data-island]` marker under `root` that
 * has not been hydrated yet; returns how many were scheduled.
 */
export function bootIslands(islands: IslandSet, root: ParentNode = document): number {
  let scheduled = 0;
  for (const marker of root.querySelectorAll<HTMLElement>("[data-island]")) {
    if (marker.dataset.islandBooted !== undefined) continue;
    const name = marker.dataset.island ?? "";
    try {
      const component = Object.hasOwn(islands, name)
        ? islands[name as IslandName] as unknown as FunctionComponent<Record<string, unknown>>
        : undefined;
      if (component === undefined) throw new Error(`island "${name}" is not on this page`);
      const props: unknown = JSON.parse(marker.dataset.props ?? "{}");
      if (typeof props !== "object" || props === null || Array.isArray(props)) {
        throw new Error(`island "${name}" has props that are not an object`);
      }
      marker.dataset.islandBooted = "";
      // The props were checked against the component's type on the server, in `<Island>`.
      hydrateLater(() => hydrate(h(component, props as Record<string, unknown>), marker));
      scheduled++;
    } catch (error) {
      globalThis.reportError(error);
    }
  }
  return scheduled;
}
