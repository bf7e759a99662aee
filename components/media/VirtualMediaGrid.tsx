"use client";

import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useLayoutEffect, useRef, useState } from "react";

import { MEDIA_CARD_HEIGHT } from "./MediaCard";

const GAP = 16;
const MIN_CARD_WIDTH = 220;
const MAX_COLUMNS = 6;
const ROW_HEIGHT = MEDIA_CARD_HEIGHT + GAP;

/**
 * A responsive card grid that only renders the rows near the viewport (window scrolling), so a
 * library of thousands of files scrolls smoothly and renders a few dozen cards at a time.
 */
export function VirtualMediaGrid<T>({
  items,
  label,
  renderItem,
}: {
  items: readonly T[];
  label: string;
  renderItem: (item: T, index: number) => ReactNode;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  // Server render and first client render agree on these; real values are measured after mount.
  const [columns, setColumns] = useState(4);
  const [scrollMargin, setScrollMargin] = useState(0);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const measure = () => {
      const width = list.clientWidth;
      setColumns(Math.max(1, Math.min(MAX_COLUMNS, Math.floor((width + GAP) / (MIN_CARD_WIDTH + GAP)))));
      // Everything above the grid (the upload list grows and shrinks) moves where row 0 starts.
      setScrollMargin(list.getBoundingClientRect().top + window.scrollY);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(list);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const rowCount = Math.ceil(items.length / columns);
  const virtualizer = useWindowVirtualizer({
    count: rowCount,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    scrollMargin,
    initialRect: { width: 1280, height: 1000 },
  });

  return (
    <div ref={listRef} role="list" aria-label={label} className="relative w-full" style={{ height: Math.max(0, virtualizer.getTotalSize() - GAP) }}>
      {virtualizer.getVirtualItems().map((row) => (
        <div
          key={row.key}
          className="absolute left-0 top-0 grid w-full"
          style={{
            gap: GAP,
            gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
            transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)`,
          }}
        >
          {items.slice(row.index * columns, (row.index + 1) * columns).map((item, offset) => renderItem(item, row.index * columns + offset))}
        </div>
      ))}
    </div>
  );
}
