"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { RejectedRecipient } from "@/lib/recipients/types";

const ROW_ESTIMATE_PX = 44;

/** The duplicate and empty messages already name their reason ("Duplicate of line 3"). */
function reasonText(entry: RejectedRecipient): string {
  return entry.reason === "invalid" ? `Invalid: ${entry.message}` : entry.message;
}

function shown(raw: string): string {
  if (raw.trim() === "") return "(empty)";
  const codePoints = Array.from(raw);
  return `“${codePoints.length > 40 ? `${codePoints.slice(0, 40).join("")}…` : raw}”`;
}

/**
 * Every entry that will not be sent, with where to find it. Virtualised: a pasted list can hold
 * tens of thousands of bad lines and the page must stay responsive.
 */
export function RejectedList({ rejected, unit }: { rejected: RejectedRecipient[]; unit: "Line" | "Row" }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rejected.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 8,
  });
  return (
    <div
      ref={scroller}
      tabIndex={0}
      role="region"
      aria-label={`Entries that will not be sent (${rejected.length})`}
      className="mt-2 max-h-64 overflow-y-auto rounded-md border border-slate-200 bg-white"
    >
      <ul role="list" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const entry = rejected[row.index]!;
          return (
            <li
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              aria-setsize={rejected.length}
              aria-posinset={row.index + 1}
              className="absolute left-0 top-0 w-full border-b border-slate-100 px-3 py-2 text-sm"
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <span className="font-semibold tabular-nums">
                {unit} {entry.line}:
              </span>{" "}
              <span className="font-mono">{shown(entry.raw)}</span>{" "}
              <span className={entry.reason === "duplicate" ? "text-warn" : "text-danger"}>— {reasonText(entry)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
