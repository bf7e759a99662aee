import { describe, expect, it } from "vitest";
import type { MediaItem, MediaKind } from "@/lib/media/library-types";
import { applyLibraryView, DEFAULT_VIEW, searchKey } from "./library-view";

function item(id: string, name: string, kind: MediaKind | null, size: number | null, uploadedAt: string | null): MediaItem {
  return { id, name, size, uploadedAt, contentType: null, kind, hasCopy: false, preview: "icon", fileUrl: null, thumbnailUrl: null, textSnippet: null };
}

const LIBRARY = [
  item("a", "Baner jesień.png", "image", 3000, "2026-10-01 09:00:00"),
  item("b", "promo 10.mp4", "video", 9000, "2026-11-20 12:00:00"),
  item("c", "promo 2.mp3", "audio", 500, "2026-11-21 08:30:00"),
  item("d", "Cennik.txt", "text", 120, "2026-09-15 17:45:00"),
  item("e", "Żółw.pdf", "document", 70000, "2026-11-21 08:30:00"),
  item("f", "plik.xyz", null, 10, "2026-01-01 00:00:00"),
];

const ids = (items: MediaItem[]) => items.map((i) => i.id);

describe("applyLibraryView", () => {
  it("shows everything newest first by default, ties broken by id", () => {
    expect(ids(applyLibraryView(LIBRARY, DEFAULT_VIEW))).toEqual(["c", "e", "b", "a", "d", "f"]);
  });

  it("searches names ignoring case and Polish diacritics; every word must match", () => {
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, query: "JESIEN" }))).toEqual(["a"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, query: "zolw" }))).toEqual(["e"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, query: "promo mp3" }))).toEqual(["c"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, query: "  " }))).toHaveLength(6);
  });

  it("filters by kind; unknown types only appear under all", () => {
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, kind: "text" }))).toEqual(["d"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, kind: "video", query: "promo" }))).toEqual(["b"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, kind: "image", query: "promo" }))).toEqual([]);
  });

  it("sorts by name (numeric, Polish collation), size and date", () => {
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, sort: "name-asc" }))).toEqual(["a", "d", "f", "c", "b", "e"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, sort: "name-desc" }))).toEqual(["e", "b", "c", "f", "d", "a"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, sort: "largest" }))).toEqual(["e", "b", "a", "c", "d", "f"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, sort: "smallest" }))).toEqual(["f", "d", "c", "a", "b", "e"]);
    expect(ids(applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, sort: "oldest" }))).toEqual(["f", "d", "a", "b", "c", "e"]);
  });

  it("puts files whose size or date the gateway did not give last, whichever way it sorts", () => {
    const odd = [...LIBRARY, item("g", "no-size.png", "image", null, "2026-11-22 10:00:00"), item("h", "no-date.png", "image", 5, null)];
    expect(ids(applyLibraryView(odd, { ...DEFAULT_VIEW, sort: "largest" })).at(-1)).toBe("g");
    expect(ids(applyLibraryView(odd, { ...DEFAULT_VIEW, sort: "smallest" })).at(-1)).toBe("g");
    expect(ids(applyLibraryView(odd, { ...DEFAULT_VIEW, sort: "newest" })).at(-1)).toBe("h");
    expect(ids(applyLibraryView(odd, { ...DEFAULT_VIEW, sort: "oldest" })).at(-1)).toBe("h");
  });

  it("does not reorder the cached list it was given", () => {
    const before = ids(LIBRARY);
    applyLibraryView(LIBRARY, { ...DEFAULT_VIEW, sort: "largest" });
    expect(ids(LIBRARY)).toEqual(before);
  });

  it("handles 5,000 files quickly enough for every keystroke", () => {
    const many = Array.from({ length: 5000 }, (_, i) => item(`id${i}`, `plik ${i} promocja.png`, "image", i, `2026-11-${String((i % 28) + 1).padStart(2, "0")} 10:00:00`));
    applyLibraryView(many, DEFAULT_VIEW);
    const started = performance.now();
    for (const query of ["p", "pr", "pro", "prom", "promo 4"]) applyLibraryView(many, { query, kind: "image", sort: "name-asc" });
    expect((performance.now() - started) / 5).toBeLessThan(50);
  });
});

describe("searchKey", () => {
  it("folds case and Polish letters", () => {
    expect(searchKey("ŻÓŁW Łąka Ćma")).toBe("zolw laka cma");
  });
});
