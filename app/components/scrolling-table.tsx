import type { ReactNode } from "react";

type Labelled = { label: string; labelledBy?: never } | { labelledBy: string; label?: never };

/**
 * A wide table that scrolls sideways on a phone. The wrapper is a named, focusable region so a
 * keyboard user can scroll it too (axe's scrollable-region-focusable); that is why a
 * non-interactive element carries a tabIndex here, and only here.
 */
export function ScrollingTable({ children, label, labelledBy }: Labelled & { children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label} aria-labelledby={labelledBy}>
      <table className="table">{children}</table>
    </div>
  );
}
