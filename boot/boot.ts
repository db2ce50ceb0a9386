// This module is browser-compatible.
/**
 * The page's one script: finds the island markers the server rendered and
 * hydrates each from its own props. Islands are independent: one that fails
 * is reported and left as server-rendered HTML, the others still come alive.
 *
 * @module
 */
import { type FunctionComponent, h, hydrate } from "preact";
import { isIslandName, ISLANDS } from "./islands.ts";

/** Hydrates every `[data-island]` marker under `root` that has not been hydrated yet. */
function bootIslands(root: ParentNode = document): number {
  let hydrated = 0;
  for (const marker of root.querySelectorAll<HTMLElement>("[data-island]")) {
    if (marker.dataset.islandBooted !== undefined) continue;
    const name = marker.dataset.island ?? "";
    try {
      if (!isIslandName(name)) throw new Error(`unknown island "${name}"`);
      const props: unknown = JSON.parse(marker.dataset.props ?? "{}");
      if (typeof props !== "object" || props === null || Array.isArray(props)) {
        throw new Error(`island "${name}" has props that are not an object`);
      }
      marker.dataset.islandBooted = "";
      // The props were checked against the component's type on the server, in `<Island>`.
      const component = ISLANDS[name] as unknown as FunctionComponent<Record<string, unknown>>;
      hydrate(h(component, props as Record<string, unknown>), marker);
      hydrated++;
    } catch (error) {
      globalThis.reportError(error);
    }
  }
  return hydrated;
}

bootIslands();
