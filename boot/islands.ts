// This module is browser-compatible.
import { Dashboard } from "../islands/Dashboard.tsx";
import { InterpretDemo } from "../islands/InterpretDemo.tsx";

/**
 * Every island by the name its marker carries. The server renders from this
 * map and the boot script hydrates from it, so the two cannot disagree on
 * what a name means.
 */
export const ISLANDS = {
  InterpretDemo,
  Dashboard,
} as const;

export type IslandName = keyof typeof ISLANDS;
