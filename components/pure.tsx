// This module is browser-compatible.
import { Component, type ComponentChild, type FunctionComponent, h } from "preact";

type Callback = (...args: never[]) => unknown;

/**
 * `view`, rendered again only when one of its data props changes. Function
 * props are compared by presence, not identity: a parent that passes a
 * fresh arrow on every render would otherwise redraw the view every time.
 * The view gets stable stand-ins that call the parent's latest function
 * (Preact updates `this.props` even when a render is skipped).
 *
 * For views whose parent re-renders often for reasons of its own, such as
 * every keystroke of the demo's auto-typer.
 */
export function pure<P extends object>(view: FunctionComponent<P>): FunctionComponent<P> {
  class Pure extends Component<P> {
    readonly #standIns = new Map<string, Callback>();

    override shouldComponentUpdate(next: P): boolean {
      const now = this.props as Record<string, unknown>;
      const then = next as Record<string, unknown>;
      const keys = new Set([...Object.keys(now), ...Object.keys(then)]);
      for (const key of keys) {
        const a = now[key];
        const b = then[key];
        if (typeof a === "function" && typeof b === "function") continue;
        if (a !== b) return true;
      }
      return false;
    }

    #standIn(key: string): Callback {
      let callback = this.#standIns.get(key);
      if (callback === undefined) {
        callback = (...args: never[]) =>
          ((this.props as Record<string, unknown>)[key] as Callback | undefined)?.(...args);
        this.#standIns.set(key, callback);
      }
      return callback;
    }

    override render(): ComponentChild {
      const props: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(this.props)) {
        props[key] = typeof value === "function" && key !== "children" ? this.#standIn(key) : value;
      }
      return h(view, props as P);
    }
  }
  Object.defineProperty(Pure, "name", { value: `Pure(${view.name})` });
  return Pure as unknown as FunctionComponent<P>;
}
