// This module is browser-compatible.
import type { VNode } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { FILTER_TYPES, logTypeInfo } from "../../lib/dashboard/log_types.ts";
import { Later } from "../Later.tsx";
import { pure } from "../pure.tsx";

export interface TypeFilterProps {
  readonly selected: readonly number[];
  readonly onChange: (types: number[]) => void;
}

/**
 * A multi-select of event types in a disclosure; none selected shows every
 * type. Drawn again only when the selection changes, not with every batch
 * of events the viewer draws.
 */
export const TypeFilter = pure(function TypeFilter({ selected, onChange }: TypeFilterProps): VNode {
  const details = useRef<HTMLDetailsElement>(null);

  // A click elsewhere closes the menu, as a select would.
  useEffect(() => {
    const close = (event: MouseEvent) => {
      const element = details.current;
      if (element?.open && !element.contains(event.target as Node)) element.open = false;
    };
    document.addEventListener("click", close);
    return () => document.removeEventListener("click", close);
  }, []);

  const toggle = (type: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(type);
    else next.delete(type);
    onChange(FILTER_TYPES.filter((candidate) => next.has(candidate)));
  };

  const label = selected.length === 0
    ? "All types"
    : selected.length === 1
    ? logTypeInfo(selected[0] as number).label
    : `${selected.length} types`;

  // Escape closes the menu and puts focus back on its button, as a select's would.
  const onKeyDown = (event: KeyboardEvent) => {
    const element = details.current;
    if (event.key !== "Escape" || !element?.open) return;
    event.preventDefault();
    element.open = false;
    element.querySelector("summary")?.focus();
  };

  return (
    <details
      class="type-filter"
      ref={details}
      data-testid="filter-types"
      onKeyDown={onKeyDown}
    >
      <summary class={selected.length > 0 ? "field-button active" : "field-button"}>
        <span class="field-button-label">{label}</span>
        <span class="caret" aria-hidden="true">▾</span>
      </summary>
      <Later>
        <div class="type-menu" role="group" aria-label="Event types">
          <div class="type-menu-head">
            <span>Show types</span>
            <button
              type="button"
              class="button-link"
              disabled={selected.length === 0}
              onClick={() => onChange([])}
            >
              Clear
            </button>
          </div>
          {FILTER_TYPES.map((type) => {
            const info = logTypeInfo(type);
            return (
              <label class="type-option" key={type}>
                <input
                  type="checkbox"
                  value={type}
                  checked={selected.includes(type)}
                  onChange={(event) =>
                    toggle(type, (event.currentTarget as HTMLInputElement).checked)}
                  data-type={type}
                />
                <i class={`tone-dot tone-${info.tone}`} aria-hidden="true" />
                {info.label}
              </label>
            );
          })}
        </div>
      </Later>
    </details>
  );
});
